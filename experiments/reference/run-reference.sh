#!/usr/bin/env bash
# The authors' code on the short VGG-19 schedule of docs/fidelity.md, side by side with experiments/fidelity-vgg19.sh:
# same subsets, seeds and schedule. Needs Debian's PyTorch and a checkout of the authors' repository outside this one
# (it has no license: read and run it, never copy it here):
#   apt-get install python3-torch python3-torchvision
#   git clone https://github.com/luuyin/chase /work/ref/chase
# Usage: [METHODS="chase mest"] [SUBSETS="1 2"] [SEEDS="41 42 43 44 45"] [THREADS=1] [OUT=runs/reference] \
#        experiments/reference/run-reference.sh REF_CHECKOUT [SUBSET_DATA_ROOT, default $OUT/../fidelity/data]
# Subset k is read from SUBSET_DATA_ROOT/fm4000-sk (written by experiments/fidelity-vgg19.sh). Runs are named
# METHOD-sSUBSET-SEED; a finished run (result.json) is skipped, an unfinished one starts again. Then prints the table
# (experiments/reference/reference-table.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
ref="${1:?usage: experiments/reference/run-reference.sh REF_CHECKOUT [SUBSET_DATA_ROOT]}"
out="${OUT:-runs/reference}"
data_root="${2:-$out/../fidelity/data}"
mkdir -p "$out"
for subset in ${SUBSETS:-1 2}; do
  for seed in ${SEEDS:-41 42 43 44 45}; do
    for method in ${METHODS:-chase mest}; do
      dir="$out/$method-s$subset-$seed"
      [ -f "$dir/result.json" ] && continue
      echo "$(date +%H:%M) reference $method subset $subset seed $seed" >&2
      mkdir -p "$dir"
      /usr/bin/python3 experiments/reference/run_reference.py "$ref" "$data_root/fm4000-s$subset" "$dir" --method "$method" \
        --seed "$seed" --threads "${THREADS:-1}" > "$dir.log" 2>&1 || echo "failed: $(tail -n 1 "$dir.log")" >&2
    done
  done
done
/usr/bin/python3 experiments/reference/reference-table.py "$out"
