#!/usr/bin/env bash
# Channel budgets on the full Fashion-MNIST (Debian package dataset-fashion-mnist): ResNet-32 and VGG-16 at density 0.1,
# dense, RigL, Chase with a channel budget (S_c 0.3, 0.5, 0.7), a FLOPs budget (--target-flops 0.5) and a latency budget
# (--target-latency 0.5; the latency table is measured once per model and thread count and cached); ResNet-32 also
# runs every Chase variant with --prune-skip. Then `chase flops` and `chase bench` (batch 128) on every run, and one
# table: final test accuracy, dense-of-slim FLOPs (fraction of dense) and the measured batch-128 throughput gain of the
# network you would deploy (the shrunk one for Chase, else the trained one) over the dense architecture.
# Usage: [THREADS=N] [MODELS="resnet32 vgg16"] [ONLY="name ..."] [DATASET=fashion-mnist|fashion-mnist-subset] \
#        [TARGETS="0.5"] [SEED=41] [UPDATE_INTERVAL=100] [CHANNEL_INTERVAL=200] \
#        experiments/fashion-mnist-budgets.sh [DATA_DIR] [WIDTH] [EPOCHS]
# TARGETS lists the cost targets of the FLOPs and latency budgets (e.g. TARGETS="0.5 0.4" adds flops-0.4, latency-0.4...).
# Runs go to runs/budgets-<stamp>-<model>-<name>; ONLY keeps the named runs (e.g. ONLY="dense flops-0.5"). A short run
# (the subset, one epoch: 79 steps) needs shorter intervals, e.g. UPDATE_INTERVAL=10 CHANNEL_INTERVAL=20.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-/usr/share/datasets/fashion-mnist}"
width="${2:-1.0}"
epochs="${3:-3}"
dataset="${DATASET:-fashion-mnist}"
threads="${THREADS:-$(nproc)}"
stamp="${STAMP:-$(date +%Y%m%d-%H%M%S)}"
only="${ONLY:-}"
end=$(( epochs > 1 ? epochs - 1 : 1 ))
sparse=(--density 0.1 --update-interval "${UPDATE_INTERVAL:-100}")
chase=(--method chase "${sparse[@]}" --soft-bound-end "$end" --channel-interval "${CHANNEL_INTERVAL:-200}")
mkdir -p runs
runs=()

run() {
  local model="$1" name="$2"; shift 2
  if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then return 0; fi
  local dir="runs/budgets-$stamp-$model-$name"
  echo "training $model $name..." >&2
  ./chase train --model "$model" --width "$width" --dataset "$dataset" --data-dir "$data" --epochs "$epochs" \
    --batch-size 128 --lr 0.1 --lr-schedule cosine --seed "${SEED:-41}" --threads "$threads" "$@" --run-dir "$dir" > "$dir.log" 2>&1 ||
    { echo "$model $name failed: $(tail -n 1 "$dir.log")" >&2; exit 1; }
  ./chase flops "$dir" > "$dir.flops.log" 2>&1 || { echo "chase flops $dir failed, see $dir.flops.log" >&2; exit 1; }
  ./chase bench "$dir" --batch-sizes 128 --threads "$threads" > "$dir.bench.log" 2>&1 ||
    { echo "chase bench $dir failed, see $dir.bench.log" >&2; exit 1; }
  runs+=("$dir")
}

for model in ${MODELS:-resnet32 vgg16}; do
  run "$model" dense
  run "$model" rigl --method rigl "${sparse[@]}"
  for sc in 0.3 0.5 0.7; do run "$model" "chase-$sc" "${chase[@]}" --channel-sparsity "$sc"; done
  for t in ${TARGETS:-0.5}; do
    run "$model" "flops-$t" "${chase[@]}" --target-flops "$t"
    run "$model" "latency-$t" "${chase[@]}" --target-latency "$t"
  done
  if [ "$model" = resnet32 ]; then
    for sc in 0.3 0.5 0.7; do run "$model" "chase-skip-$sc" "${chase[@]}" --channel-sparsity "$sc" --prune-skip; done
    for t in ${TARGETS:-0.5}; do
      run "$model" "flops-skip-$t" "${chase[@]}" --target-flops "$t" --prune-skip
      run "$model" "latency-skip-$t" "${chase[@]}" --target-latency "$t" --prune-skip
    done
  fi
done

experiments/budget-table.py "${runs[@]}"
