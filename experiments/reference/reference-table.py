#!/usr/bin/env python3
"""Table of the reference runs (experiments/reference/run-reference.sh), in the shape of experiments/fidelity-table.py:
one row per finished run, then mean +- sd of the final test accuracy per method and subset, and the stall count (a run
stalls when its epoch-1 training loss is above 2.0; chance is ln 10 = 2.303). Extra columns: test accuracy after each
epoch, the steps of the channel events, and what the first soft-bound update (step 13) pruned and grew.
Usage: experiments/reference/reference-table.py RUNS_DIR [--first-steps N]   (N: also list each run's first N step losses)"""
import argparse
import json
import pathlib
import statistics

STALL = 2.0
cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
cli.add_argument("runs")
cli.add_argument("--first-steps", type=int, default=0)
opts = cli.parse_args()
groups, firsts = {}, []
print("| run | final test acc | epoch-1 train loss | max step loss in epoch 1 (step) | grown at the first update | stalled "
      "| test acc per epoch | channel events (steps) |")
print("|---|---|---|---|---|---|---|---|")
for result in sorted(pathlib.Path(opts.runs).glob("*/result.json")):
    r = json.loads(result.read_text())
    first = r["epochs"][0]
    steps = len(r["step-loss"]) // len(r["epochs"])
    losses = r["step-loss"][:steps]
    peak = max(range(len(losses)), key=lambda i: losses[i])
    stalled = first["train-loss"] > STALL
    acc = 100 * r["final-test-accuracy"]
    method, subset, _seed = result.parent.name.split("-")
    groups.setdefault((method, subset), []).append((acc, stalled))
    update = r["mask-updates"][0] if r["mask-updates"] else None
    grown = f"{update['grown']} (pruned {update['pruned']}, step {update['step']})" if update else "-"
    per_epoch = " / ".join(f"{100 * e['test-accuracy']:.1f}" for e in r["epochs"])
    events = ", ".join(str(e["step"]) for e in r["channel-events"]) or "-"
    print(f"| {result.parent.name} | {acc:.1f}% | {first['train-loss']:.3f} | {losses[peak]:.2f} ({peak + 1}) | {grown} "
          f"| {'yes' if stalled else 'no'} | {per_epoch} | {events} |")
    firsts.append((result.parent.name, r["step-loss"][:opts.first_steps]))
print()
print("| method | subset | runs | final test acc, mean +- sd | stalled |")
print("|---|---|---|---|---|")
for (method, subset), rows in sorted(groups.items()):
    accs = [a for a, _ in rows]
    sd = statistics.stdev(accs) if len(accs) > 1 else float("nan")
    print(f"| {method} | {subset} | {len(accs)} | {statistics.mean(accs):.1f} +- {sd:.1f} | {sum(s for _, s in rows)} |")
if opts.first_steps:
    print()
    for name, losses in firsts:
        print(f"{name}: " + " ".join(f"{x:.2f}" for x in losses))
