#!/usr/bin/env python3
"""Table of the reference runs (experiments/reference/run-reference.sh), in the shape of experiments/fidelity-table.py:
one row per finished run, then mean +- sd of the final test accuracy per method and subset, and the stall count
(experiments/fidelity_records.py). Extra columns: test accuracy after each epoch, the steps of the channel events, and
what the first soft-bound update (step 13) pruned and grew.
Usage: experiments/reference/reference-table.py RUNS_DIR [--first-steps N]   (N: also list each run's first N step losses)"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import fidelity_records as records  # noqa: E402

cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
cli.add_argument("runs")
cli.add_argument("--first-steps", type=int, default=0)
opts = cli.parse_args()
runs = records.reference(opts.runs)
print("| run | final test acc | epoch-1 train loss | max step loss in epoch 1 (step) | grown at the first update | stalled "
      "| test acc per epoch | channel events (steps) |")
print("|---|---|---|---|---|---|---|---|")
for run in runs:
    r = run.record
    steps = len(r["step-loss"]) // len(r["epochs"])
    losses = r["step-loss"][:steps]
    peak = max(range(len(losses)), key=lambda i: losses[i])
    update = r["mask-updates"][0] if r["mask-updates"] else None
    grown = f"{update['grown']} (pruned {update['pruned']}, step {update['step']})" if update else "-"
    per_epoch = " / ".join(f"{100 * e['test-accuracy']:.1f}" for e in r["epochs"])
    events = ", ".join(str(e["step"]) for e in r["channel-events"]) or "-"
    print(f"| {run.name} | {run.accuracy:.1f}% | {run.epoch1_loss:.3f} | {losses[peak]:.2f} ({peak + 1}) | {grown} "
          f"| {'yes' if run.stalled else 'no'} | {per_epoch} | {events} |")
print()
records.print_summary(runs)
if opts.first_steps:
    print()
    for run in runs:
        print(f"{run.name}: " + " ".join(f"{x:.2f}" for x in run.record["step-loss"][:opts.first_steps]))
