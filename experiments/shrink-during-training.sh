#!/usr/bin/env bash
# Wall time of Chase training with removed channels masked (as the reference does) against shrinking
# while training (--shrink-during-training): same seed and settings, but after each channel event the
# second run continues on the physically narrower network.
#
# Usage: [THREADS=1] [MODEL=resnet20] [WIDTH=1.0] [EPOCHS=5] [CHANNEL_END=2] [BUDGET="--channel-sparsity 0.5"] \
#          experiments/shrink-during-training.sh [extra chase train flags, default: --prune-skip]
#
# Both runs train on the built-in synthetic data set (2,000 training images, batch 100: 20 steps per
# epoch) with channel events every 10 steps until epoch CHANNEL_END. They advance one epoch at a time,
# alternately (`--until-epoch`, then `--resume`), so noise from other processes on the machine hits
# both alike. The script then reports, per mode, the median, minimum and maximum of `epoch-seconds`
# and `train-images-per-second` (metrics.jsonl; training only, without evaluation or start-up) over
# the epochs after CHANNEL_END, where the channel sparsity is final, the speed-up of the median epoch,
# the whole run's training time (sum of epoch-seconds) and its speed-up, and each run's final widths
# and test accuracy. Runs go to runs/shrink-bench-<stamp>-{masked,shrink}.
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${THREADS:-1}"
model="${MODEL:-resnet20}"
width="${WIDTH:-1.0}"
epochs="${EPOCHS:-5}"
channel_end="${CHANNEL_END:-2}"
stamp="${STAMP:-$(date +%Y%m%d-%H%M%S)}"
read -r -a budget <<< "${BUDGET:---channel-sparsity 0.5}"
extra=("$@")
[ ${#extra[@]} -eq 0 ] && extra=(--prune-skip)
common=(--model "$model" --width "$width" --dataset synthetic --epochs "$epochs" --batch-size 100 --lr 0.05
        --lr-schedule cosine --seed 41 --method chase --density 0.1 --update-interval 10 --channel-interval 10
        "${budget[@]}" --soft-bound-end "$channel_end" --channel-end "$channel_end" "${extra[@]}")
mkdir -p runs
for e in $(seq 1 "$epochs"); do
  for mode in masked shrink; do
    dir="runs/shrink-bench-$stamp-$mode"
    if [ "$e" -eq 1 ]; then
      flag=$([ "$mode" = shrink ] && echo true || echo false)
      ./chase train "${common[@]}" --shrink-during-training "$flag" --threads "$threads" --until-epoch 1 --run-dir "$dir" \
          > "$dir.log" 2>&1
    else
      ./chase train --resume "$dir" --threads "$threads" --until-epoch "$e" >> "$dir.log" 2>&1
    fi
  done
  echo "epoch $e of $epochs done"
done

# values of one metrics key over the epochs after the channel end, for one mode
values() {
  awk -v end="$channel_end" -v key="\"$2\":" '{
    e = $0; sub(/.*"epoch":/, "", e); sub(/[,}].*/, "", e)
    v = $0; i = index(v, key); if (i == 0) next
    v = substr(v, i + length(key)); sub(/[,}].*/, "", v)
    if (e + 0 > end + 0) print v
  }' "runs/shrink-bench-$stamp-$1/metrics.jsonl"
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

summary() {
  sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %.2f, min %.2f, max %.2f (%d epochs)", m, v[1], v[NR], NR }'
}

echo "$model x$width ${budget[*]} ${extra[*]}, $threads engine thread(s), epochs $((channel_end + 1))..$epochs:"
for mode in masked shrink; do
  echo "  $mode: epoch-seconds $(values "$mode" epoch-seconds | summary)"
  echo "  $mode: train-images-per-second $(values "$mode" train-images-per-second | summary)"
done
awk -v a="$(values masked epoch-seconds | median)" -v b="$(values shrink epoch-seconds | median)" \
    'BEGIN { printf "  speed-up of the median epoch: %.2fx\n", a / b }'
total() { awk '{ s += $1 } END { printf "%.1f", s }'; }
a="$(channel_end=0 values masked epoch-seconds | total)"
b="$(channel_end=0 values shrink epoch-seconds | total)"
awk -v a="$a" -v b="$b" 'BEGIN { printf "  whole run (all epochs, training only): masked %.1f s, shrink %.1f s, speed-up %.2fx\n", a, b, a / b }'
for mode in masked shrink; do
  dir="runs/shrink-bench-$stamp-$mode"
  acc=$(tail -n 1 "$dir/metrics.jsonl" | grep -o '"test-accuracy":[0-9.eE+-]*' | cut -d: -f2)
  weights=$(grep -o '"slim-weights" : [0-9]*' "$dir/shrink.json" | grep -o '[0-9]*$')
  echo "  $mode: final test accuracy $acc, slim network $weights conv/linear weights ($dir/shrink.json)"
done
