#!/usr/bin/env bash
# Unstructured DST baselines on the full Fashion-MNIST (Debian package dataset-fashion-mnist):
# dense, static, SET, RigL, MEST and Chase (S_c = 0.5, with and without --prune-skip) on ResNet-32
# at density 0.1, same optimisation for all.
# Usage: [THREADS=N] experiments/fashion-mnist-dst.sh [DATA_DIR] [WIDTH] [EPOCHS]
# Prints one line per run (final and best test accuracy, final density); runs go to runs/fmnist-*.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-/usr/share/datasets/fashion-mnist}"
width="${2:-1.0}"
epochs="${3:-3}"
common=(--model resnet32 --width "$width" --dataset fashion-mnist --data-dir "$data" --epochs "$epochs"
        --batch-size 128 --lr 0.1 --lr-schedule cosine --seed 41 --threads "${THREADS:-$(nproc)}")
sparse=(--density 0.1 --update-interval 100)
stamp="${STAMP:-$(date +%Y%m%d-%H%M%S)}"
only="${ONLY:-}"
run() {
  local name="$1"; shift
  if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then return 0; fi
  ./chase train "${common[@]}" "$@" --run-dir "runs/fmnist-$stamp-$name" > "runs/fmnist-$stamp-$name.log" 2>&1
  tail -n 2 "runs/fmnist-$stamp-$name.log" | head -n 1 | sed "s/^/$name: /"
}
mkdir -p runs
run dense
run static --method static --density 0.1
run set --method set "${sparse[@]}"
run rigl --method rigl "${sparse[@]}"
end=$(( epochs > 1 ? epochs - 1 : 1 ))
run mest --method mest "${sparse[@]}" --soft-bound-end "$end"
run chase --method chase "${sparse[@]}" --soft-bound-end "$end" --channel-sparsity 0.5 --channel-interval 200
run chase-skip --method chase "${sparse[@]}" --soft-bound-end "$end" --channel-sparsity 0.5 --channel-interval 200 --prune-skip
for f in runs/fmnist-"$stamp"-*/metrics.jsonl; do
  printf '%s: ' "$(basename "$(dirname "$f")")"
  tail -n 1 "$f" | sed -E 's/.*"test-accuracy":([0-9.]+).*/final test accuracy \1/'
  grep -o '"density":[0-9.]*' "$f" | tail -n 1 || true
done
