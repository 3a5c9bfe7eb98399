#!/usr/bin/env python3
"""Table of the reference runs (experiments/reference/run-reference.sh), in the shape of experiments/fidelity-table.py:
one row per finished run, then mean +- sd of the final test accuracy per method and subset, and the stall count (a run
stalls when its epoch-1 training loss is above 2.0; chance is ln 10 = 2.303).
Usage: experiments/reference/reference-table.py RUNS_DIR"""
import json
import pathlib
import statistics
import sys

STALL = 2.0
groups = {}
print("| run | final test acc | epoch-1 train loss | max step loss in epoch 1 (step) | grown at the first update | stalled |")
print("|---|---|---|---|---|---|")
for result in sorted(pathlib.Path(sys.argv[1]).glob("*/result.json")):
    r = json.loads(result.read_text())
    first = r["epochs"][0]
    steps = len(r["step-loss"]) // len(r["epochs"])
    losses = r["step-loss"][:steps]
    peak = max(range(len(losses)), key=lambda i: losses[i])
    stalled = first["train-loss"] > STALL
    acc = 100 * r["final-test-accuracy"]
    method, subset, _seed = result.parent.name.split("-")
    groups.setdefault((method, subset), []).append((acc, stalled))
    grown = r["mask-updates"][0]["grown"] if r["mask-updates"] else "-"
    print(f"| {result.parent.name} | {acc:.1f}% | {first['train-loss']:.3f} | {losses[peak]:.2f} ({peak + 1}) | {grown} "
          f"| {'yes' if stalled else 'no'} |")
print()
print("| method | subset | runs | final test acc, mean +- sd | stalled |")
print("|---|---|---|---|---|")
for (method, subset), rows in sorted(groups.items()):
    accs = [a for a, _ in rows]
    sd = statistics.stdev(accs) if len(accs) > 1 else float("nan")
    print(f"| {method} | {subset} | {len(accs)} | {statistics.mean(accs):.1f} +- {sd:.1f} | {sum(s for _, s in rows)} |")
