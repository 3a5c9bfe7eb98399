#!/usr/bin/env python3
"""The table of experiments/graph-architectures.sh from its run directories: one row per architecture."""
import json, os, re, sys

out = sys.argv[1] if len(sys.argv) > 1 else "runs/graph-architectures"
print("| architecture | groups (internal/stream/fixed) | prunable channels | test acc. masked / slim / slim recalibrated | dense-of-slim FLOPs"
      " | batch-128 throughput, shrunk / dense | max logit diff masked vs slim |")
print("|---|---|---|---|---|---|---|")
for name in sorted(d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))):
    run = os.path.join(out, name)
    kinds = {"internal": 0, "stream": 0, "fixed": 0}
    prunable = 0
    groups_file = os.path.join(out, name + ".groups.txt")
    if os.path.exists(groups_file):
        for line in open(groups_file):
            m = re.match(r"(\S+)\s+(internal|stream|fixed)\s+(\d+)\s", line)
            if m:
                kinds[m.group(2)] += 1
                if m.group(2) != "fixed":
                    prunable += int(m.group(3))
    shrink_file = os.path.join(run, "shrink.json")
    if not os.path.exists(shrink_file):
        print(f"| {name} | {kinds['internal']}/{kinds['stream']}/{kinds['fixed']} | {prunable} | not finished | | | |")
        continue
    shrink = json.load(open(shrink_file))
    flops = json.load(open(os.path.join(run, "summary.json"))).get("flops", {})
    slim = flops.get("slim-fraction", flops.get("test", {}).get("slim-fraction")) if isinstance(flops, dict) else None
    gain = ""
    bench_file = os.path.join(run, "bench.json")
    if os.path.exists(bench_file):
        rows = {r["network"]: r for r in json.load(open(bench_file))["results"] if r["batch-size"] == 128}
        if "shrunk" in rows:
            gain = f"{rows['shrunk']['speedup']:.2f}x" + (" (noisy)" if rows["shrunk"]["noisy"] else "")
    diff = shrink.get("max-logit-difference")
    print(f"| {name} | {kinds['internal']}/{kinds['stream']}/{kinds['fixed']} | {prunable} "
          f"| {100 * shrink['masked-test-accuracy']:.1f}% / {100 * shrink['slim-test-accuracy']:.1f}% / "
          f"{100 * shrink['recalibrated-test-accuracy']:.1f}% "
          f"| {'' if slim is None else f'{slim:.3f}'} | {gain} | {'' if diff is None else f'{diff:.1g}'} |")
