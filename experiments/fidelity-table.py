#!/usr/bin/env python3
"""Table of the short-schedule study (experiments/fidelity-vgg19.sh): one row per finished run (final test accuracy,
epoch-1 training loss, the largest step loss of epoch 1 and the step it came at, what the random fill grew), then
mean +- sd of the final accuracy per method and subset. A run counts as stalled when its epoch-1 training loss is above
2.0 (chance is ln 10 = 2.303): it spent the epoch near chance.
Usage: experiments/fidelity-table.py RUNS_DIR"""
import json
import pathlib
import statistics
import sys

STALL = 2.0
root = pathlib.Path(sys.argv[1])
groups = {}
print("| run | final test acc | epoch-1 train loss | max step loss in epoch 1 (step) | grown by fill | stalled |")
print("|---|---|---|---|---|---|")
for metrics in sorted(root.glob("*/metrics.jsonl")):
    epochs = [json.loads(line) for line in metrics.read_text().splitlines() if line.strip()]
    summary = metrics.parent / "summary.json"
    if not epochs or not summary.exists() or not json.loads(summary.read_text()).get("finished"):
        continue
    first = epochs[0]
    losses = first.get("step-loss") or []
    peak = max(range(len(losses)), key=lambda i: losses[i]) if losses else None
    fill = sum(u["grown-by-fill"] for e in epochs for u in (e.get("mask-updates") or []))
    stalled = first["train-loss"] > STALL
    acc = 100 * epochs[-1]["test-accuracy"]
    name = metrics.parent.name
    method, subset, _seed = name.split("-")
    groups.setdefault((method, subset), []).append((acc, stalled))
    peak_text = f"{losses[peak]:.2f} ({peak + 1})" if losses else "not recorded"
    print(f"| {name} | {acc:.1f}% | {first['train-loss']:.3f} | {peak_text} | {fill} | {'yes' if stalled else 'no'} |")
print()
print("| method | subset | runs | final test acc, mean +- sd | stalled |")
print("|---|---|---|---|---|")
for (method, subset), rows in sorted(groups.items()):
    accs = [a for a, _ in rows]
    sd = statistics.stdev(accs) if len(accs) > 1 else float("nan")
    print(f"| {method} | {subset} | {len(accs)} | {statistics.mean(accs):.1f} +- {sd:.1f} | {sum(s for _, s in rows)} |")
