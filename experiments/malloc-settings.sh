#!/usr/bin/env bash
# What the launcher's malloc settings change: the whole forward pass (chase profile --model, eval mode) and the
# training step (chase bench-train, dense) with glibc's defaults (CHASE_MALLOC=system) against the launcher's
# (CHASE_MALLOC=retain: freed memory stays in the process), alternated process by process, ROUNDS times each.
# Prints per setting the median, min and max of the per-process medians, and the ratio of the medians.
# Usage: [ROUNDS=5] [THREADS=1] [BATCH=128] experiments/malloc-settings.sh [MODEL] [WIDTH] [IN_CHANNELS]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-resnet32}"
width="${2:-0.5}"
channels="${3:-1}"
rounds="${ROUNDS:-5}"
threads="${THREADS:-1}"
batch="${BATCH:-128}"
arch=(--model "$model" --width "$width" --in-channels "$channels" --threads "$threads" --batch-size "$batch")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
./chase --version > /dev/null # build first
for r in $(seq 1 "$rounds"); do
  for mode in system retain; do
    CHASE_MALLOC=$mode ./chase profile "${arch[@]}" --warmup 3 --repeats 10 --output "$work/fwd-$mode-$r.json" > /dev/null
    CHASE_MALLOC=$mode ./chase bench-train "${arch[@]}" --warmup 3 --steps 10 --json "$work/train-$mode-$r.json" > /dev/null
  done
  echo "round $r/$rounds done" >&2
done
python3 - "$work" "$model" "$width" "$rounds" <<'EOF'
import glob, json, statistics, sys
work, model, width, rounds = sys.argv[1:]
def medians(kind, mode):
    out = []
    for f in sorted(glob.glob(f"{work}/{kind}-{mode}-*.json")):
        d = json.load(open(f))
        out.append(d["totals"][0]["pass-millis"]["median"] if kind == "fwd" else d[0]["millis-per-step"]["median"])
    return out
print(f"{model} x{width}: medians of {rounds} processes per setting, ms per batch")
print(f"{'measure':<16} {'setting':<8} {'median':>9} {'min':>9} {'max':>9}")
for kind, label in (("fwd", "forward pass"), ("train", "training step")):
    m = {}
    for mode in ("system", "retain"):
        xs = medians(kind, mode)
        m[mode] = statistics.median(xs)
        print(f"{label:<16} {mode:<8} {m[mode]:9.1f} {min(xs):9.1f} {max(xs):9.1f}")
    print(f"{label:<16} system / retain: {m['system'] / m['retain']:.2f}x")
EOF
