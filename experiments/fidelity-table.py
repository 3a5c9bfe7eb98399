#!/usr/bin/env python3
"""Table of the short-schedule study (experiments/fidelity-vgg19.sh): one row per finished run (final test accuracy,
epoch-1 training loss, the largest step loss of epoch 1 and the step it came at, what the random fill grew, the test accuracy after each epoch), then
mean +- sd of the final accuracy per method and subset and the stall count (experiments/fidelity_records.py).
Usage: experiments/fidelity-table.py RUNS_DIR"""
import sys

import fidelity_records as records

runs = records.ours(sys.argv[1])
print("| run | final test acc | epoch-1 train loss | max step loss in epoch 1 (step) | grown by fill | stalled | test acc per epoch |")
print("|---|---|---|---|---|---|---|")
for run in runs:
    epochs = run.record["epochs"]
    losses = epochs[0].get("step-loss") or []
    peak = max(range(len(losses)), key=lambda i: losses[i]) if losses else None
    fill = sum(u["grown-by-fill"] for e in epochs for u in (e.get("mask-updates") or []))
    peak_text = f"{losses[peak]:.2f} ({peak + 1})" if losses else "not recorded"
    per_epoch = " / ".join(f"{100 * e['test-accuracy']:.1f}" for e in epochs)
    print(f"| {run.name} | {run.accuracy:.1f}% | {run.epoch1_loss:.3f} | {peak_text} | {fill} | {'yes' if run.stalled else 'no'} "
          f"| {per_epoch} |")
print()
records.print_summary(runs)
