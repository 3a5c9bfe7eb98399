#!/usr/bin/env bash
# Does a sweep finish sooner as N runs at once with 1 engine thread each, or one run at a time with N threads?
# Runs sweeps/example-synthetic.yaml (4 short runs) both ways, alternating, REPEATS times each, into fresh folders,
# and prints every wall time, the median and spread of each way, and the ratio of the medians.
# Measure on an idle machine. Usage: [REPEATS=3] [EPOCHS=3] experiments/sweep-jobs-vs-threads.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${REPEATS:-3}"
cores="$(nproc)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s/^  epochs: .*/  epochs: ${EPOCHS:-3}/" sweeps/example-synthetic.yaml > "$work/sweep.yaml"
./chase --version > /dev/null
declare -a jobs threads
for r in $(seq "$repeats"); do
  for way in jobs threads; do
    dir="$work/$way-$r"
    start=$(date +%s.%N)
    if [ "$way" = jobs ]; then
      ./chase sweep "$work/sweep.yaml" --dir "$dir" --jobs "$cores" --threads 1 > "$dir.log" 2>&1
    else
      ./chase sweep "$work/sweep.yaml" --dir "$dir" --jobs 1 --threads "$cores" > "$dir.log" 2>&1
    fi
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    echo "round $r: $way ($( [ "$way" = jobs ] && echo "$cores runs x 1 thread" || echo "1 run x $cores threads")): ${seconds} s"
    if [ "$way" = jobs ]; then jobs+=("$seconds"); else threads+=("$seconds"); fi
  done
done
python3 - "${jobs[*]}" "${threads[*]}" "$cores" <<'PY'
import statistics, sys
j = [float(x) for x in sys.argv[1].split()]
t = [float(x) for x in sys.argv[2].split()]
n = sys.argv[3]
for name, xs in ((f"{n} runs x 1 thread", j), (f"1 run x {n} threads", t)):
    print(f"{name}: median {statistics.median(xs):.1f} s, min {min(xs):.1f}, max {max(xs):.1f} (n={len(xs)})")
print(f"ratio of medians (1 x {n} threads) / ({n} x 1 thread): {statistics.median(t) / statistics.median(j):.2f}")
PY
