#!/usr/bin/env python3
"""One table of finished runs, for the channel-budget experiments: final test accuracy, the channel
sparsity S_c reached, the budget's own cost fraction (dense-of-slim FLOPs or predicted latency over
dense, for --target-flops / --target-latency runs), the dense-of-slim FLOPs fraction (chase flops)
and the measured batch-128 throughput gain over the dense architecture (chase bench: the shrunk
network for Chase, else the trained one), with the spread (max/min) of that network's repeats.

Usage: experiments/budget-table.py RUN_DIR...   (each after chase flops and chase bench)"""
import json
import os
import sys


def row(d):
    last = json.loads(open(os.path.join(d, "metrics.jsonl")).read().splitlines()[-1])
    channels = (last.get("sparsity") or {}).get("channels") or {}
    flops = json.load(open(os.path.join(d, "flops.json")))["test"]["slim-fraction"]
    bench = json.load(open(os.path.join(d, "bench.json")))
    rows = {r["network"]: r for r in bench["results"] if r["batch-size"] == 128}
    deployed = rows.get("shrunk", rows.get("masked", rows["dense"]))
    cost = channels.get("cost-fraction")
    return (os.path.basename(os.path.normpath(d)), 100 * last["test-accuracy"], channels.get("prunable"), cost, flops,
            deployed["speedup"], deployed["millis-per-batch"]["spread"], deployed["noisy"])


def main(dirs):
    if not dirs:
        sys.exit(__doc__)
    print(f"{'run':<40} {'test acc':>8} {'S_c':>6} {'cost':>6} {'slim FLOPs':>10} {'b128 gain':>9} {'spread':>6}  note")
    for d in dirs:
        try:
            name, acc, sc, cost, flops, gain, spread, noisy = row(d)
        except (OSError, KeyError, IndexError, ValueError) as e:
            print(f"{os.path.basename(os.path.normpath(d)):<40} incomplete ({e})")
            continue
        fmt = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"{name:<40} {acc:7.2f}% {fmt(sc):>6} {fmt(cost):>6} {flops:10.3f} {gain:8.2f}x {spread:6.2f}  "
              f"{'noisy' if noisy else ''}")
    print("cost: the budget's final cost fraction (FLOPs or predicted latency); slim FLOPs: dense-of-slim FLOPs / dense")
    print("FLOPs; b128 gain: images/s of the deployed network over the dense architecture at batch 128, interleaved in one")
    print("process (chase bench); spread: max/min of its repeats; noisy: the spread exceeds the effect.")


if __name__ == "__main__":
    main(sys.argv[1:])
