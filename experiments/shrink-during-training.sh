#!/usr/bin/env bash
# Wall time of Chase training with removed channels masked (as the reference does) against shrinking
# while training (--shrink-during-training): same seed and same decisions, but after each channel
# event the second run continues on the physically narrower network.
#
# Usage: [THREADS=1] [REPEATS=2] [MODEL=resnet20] [WIDTH=0.5] [EPOCHS=6] [CHANNEL_END=2] \
#          experiments/shrink-during-training.sh [extra chase train flags, e.g. --prune-skip]
#
# The two modes run alternately REPEATS times (machine noise hits both alike) on the built-in
# synthetic data set (2,000 training images, batch 100: 20 steps per epoch). Channel events run
# every 10 steps until epoch CHANNEL_END; the script then reports, per mode, the median and the
# min..max of `epoch-seconds` and `train-images-per-second` (from metrics.jsonl) over the epochs
# after CHANNEL_END, where the channel sparsity is final, plus the final test accuracies.
# Runs go to runs/shrink-bench-<stamp>-<mode>-<repeat>.
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${THREADS:-1}"
repeats="${REPEATS:-2}"
model="${MODEL:-resnet20}"
width="${WIDTH:-0.5}"
epochs="${EPOCHS:-6}"
channel_end="${CHANNEL_END:-2}"
stamp="${STAMP:-$(date +%Y%m%d-%H%M%S)}"
common=(--model "$model" --width "$width" --dataset synthetic --epochs "$epochs" --batch-size 100 --lr 0.05
        --lr-schedule cosine --seed 41 --threads "$threads" --method chase --density 0.1 --update-interval 10
        --channel-interval 10 --channel-sparsity 0.5 --soft-bound-end "$channel_end" --channel-end "$channel_end" "$@")
mkdir -p runs
for r in $(seq 1 "$repeats"); do
  for mode in masked shrink; do
    dir="runs/shrink-bench-$stamp-$mode-$r"
    ./chase train "${common[@]}" --shrink-during-training "$([ "$mode" = shrink ] && echo true || echo false)" \
        --run-dir "$dir" > "$dir.log" 2>&1
    echo "$mode run $r done: $(grep -m1 '^finished' "$dir.log" || tail -n 1 "$dir.log")"
  done
done

# values of one metrics key over the epochs after the channel end, for one mode, all repeats
values() {
  local mode="$1" key="$2"
  for f in runs/shrink-bench-"$stamp"-"$mode"-*/metrics.jsonl; do
    awk -v end="$channel_end" -v key="\"$key\":" '{
      e = $0; sub(/.*"epoch":/, "", e); sub(/[,}].*/, "", e)
      v = $0; i = index(v, key); if (i == 0) next
      v = substr(v, i + length(key)); sub(/[,}].*/, "", v)
      if (e + 0 > end + 0) print v
    }' "$f"
  done
}

# "median min..max (n values)" of numbers on stdin
summary() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no values"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %.3f, min %.3f, max %.3f (%d epochs)", m, v[1], v[NR], NR }'
}

echo "$model x$width, $threads thread(s), epochs $((channel_end + 1))..$epochs of $repeats repeat(s) per mode:"
for mode in masked shrink; do
  echo "  $mode: epoch-seconds $(values "$mode" epoch-seconds | summary)"
  echo "  $mode: train-images-per-second $(values "$mode" train-images-per-second | summary)"
done
ms=$(values masked epoch-seconds | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
ss=$(values shrink epoch-seconds | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v a="$ms" -v b="$ss" 'BEGIN { printf "  speed-up of the median epoch: %.2fx\n", a / b }'
for f in runs/shrink-bench-"$stamp"-*/metrics.jsonl; do
  acc=$(tail -n 1 "$f" | grep -o '"test-accuracy":[0-9.eE+-]*' | cut -d: -f2)
  echo "  $(basename "$(dirname "$f")"): final test accuracy $acc"
done
