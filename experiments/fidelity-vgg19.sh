#!/usr/bin/env bash
# The short VGG-19 schedule of issue 18, ours, over seeds and seeded 4,000-image Fashion-MNIST subsets: VGG-19 (BatchNorm,
# CIFAR head), batch 100, 4 epochs = 160 steps, SGD lr 0.1 x0.1 after epochs 2 and 3, density 0.1 ERK, MEST soft bound
# (death rate 0.05, update every 13 steps until the end of epoch 3), Chase S_c 0.5, beta 0.2, channel events every 26
# steps until the end of epoch 3. Each run records every step's loss and every mask update in metrics.jsonl; the table
# (experiments/fidelity-table.py) gives mean +- sd of the final test accuracy per method and subset and flags stalls.
# Usage: [METHODS="chase mest"] [SUBSETS="1 2"] [SEEDS="41 42 43 44 45"] [THREADS=2] [OUT=runs/fidelity] \
#        experiments/fidelity-vgg19.sh [FASHION_MNIST_DIR]
# Subset k is `java tools/MakeFashionMnistSubset.java --random 4000 --seed k` (written once under $OUT/data). Runs are
# named METHOD-sSUBSET-SEED; rerunning skips finished runs and resumes unfinished ones from their last checkpoint, so the
# study (about 40-60 min per run on 2 cores) can be stopped and continued; a run another process is training is skipped, so
# two runners (one core each, pairs in opposite orders) can share the study.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir="${1:-/usr/share/datasets/fashion-mnist}"
out="${OUT:-runs/fidelity}"
threads="${THREADS:-$(nproc)}"
mkdir -p "$out/data"
for subset in ${SUBSETS:-1 2}; do
  data="$out/data/fm4000-s$subset"
  [ -f "$data/t10k-labels-idx1-ubyte.gz" ] ||
    java tools/MakeFashionMnistSubset.java --random 4000 --seed "$subset" "$source_dir" "$data" > /dev/null
  for seed in ${SEEDS:-41 42 43 44 45}; do
    for method in ${METHODS:-chase mest}; do
      dir="$out/$method-s$subset-$seed"
      if [ -f "$dir/summary.json" ] && grep -q '"finished" *: *true' "$dir/summary.json"; then continue; fi
      if pgrep -f -- "--run-dir $dir( |$)" > /dev/null || pgrep -f -- "--resume $dir( |$)" > /dev/null; then
        echo "$(date +%H:%M) skipping $method subset $subset seed $seed: another process is training it" >&2
        continue
      fi
      echo "$(date +%H:%M) $method subset $subset seed $seed" >&2
      if [ -d "$dir/checkpoints" ] && [ -n "$(ls -A "$dir/checkpoints")" ]; then
        ./chase train --resume "$dir" --threads "$threads" > "$dir.log" 2>&1 || { echo "failed: $(tail -n 1 "$dir.log")" >&2; continue; }
        continue
      fi
      rm -rf "$dir"
      extra=()
      [ "$method" = chase ] && extra=(--channel-sparsity 0.5 --min-ratio 0.2 --channel-interval 26 --channel-end 3)
      ./chase train --model vgg19 --dataset fashion-mnist --data-dir "$data" --epochs 4 --batch-size 100 --lr 0.1 \
        --lr-schedule step --method "$method" --density 0.1 --update-interval 13 --death-rate 0.05 --soft-bound-end 3 \
        "${extra[@]}" --seed "$seed" --threads "$threads" --run-dir "$dir" > "$dir.log" 2>&1 ||
        echo "failed: $(tail -n 1 "$dir.log")" >&2
    done
  done
done
python3 experiments/fidelity-table.py "$out"
