#!/usr/bin/env bash
# The authors' code on the short VGG-19 schedule of docs/fidelity.md, side by side with experiments/fidelity-vgg19.sh:
# same subsets, seeds and schedule. Needs Debian's PyTorch (CPU) and a checkout of the authors' repository OUTSIDE this
# one (it has no license: read and run it, never copy it here):
#   apt-get install -y python3-torch python3-torchvision        # bookworm: torch 1.13.1
#   git clone https://github.com/luuyin/chase REF_CHECKOUT    # or: git --git-dir=MIRROR archive HEAD | tar -x -C REF_CHECKOUT
# Usage: [METHODS="chase mest"] [RUNS="1:41 1:42 2:41 2:42 1:43 2:43 1:44 2:44 1:45 2:45"] [THREADS=1] [NICE=19] \
#        [OUT=runs/reference] experiments/reference/run-reference.sh REF_CHECKOUT [SUBSET_DATA_ROOT]
# RUNS lists SUBSET:SEED pairs in the order they run (both methods for each pair, chase first); SUBSETS="1" and/or
# SEEDS="41 42" keep only the pairs with those subsets/seeds. Subset k is read from SUBSET_DATA_ROOT/fm4000-sk (default
# $OUT/../fidelity/data, where experiments/fidelity-vgg19.sh writes them). Runs are named METHOD-sSUBSET-SEED; a
# finished run (result.json) is skipped, so is one that a live run_reference.py process is writing (e.g. a second
# runner), and an unfinished one starts again. Ends by printing the table (experiments/reference/reference-table.py).
# Background, leaving it running:  nohup experiments/reference/run-reference.sh REF_CHECKOUT SUBSET_DATA_ROOT \
#                                     > runs/reference.log 2>&1 &
# Progress: tail -n 3 runs/reference.log; grep '\[harness\]' runs/reference/METHOD-sK-SEED.log | tail -n 1
set -euo pipefail
cd "$(dirname "$0")/../.."
ref="${1:?usage: experiments/reference/run-reference.sh REF_CHECKOUT [SUBSET_DATA_ROOT]}"
out="${OUT:-runs/reference}"
data_root="${2:-$out/../fidelity/data}"
mkdir -p "$out"
keep() { [ -z "${2:-}" ] || [[ " $2 " == *" $1 "* ]]; }
for pair in ${RUNS:-1:41 1:42 2:41 2:42 1:43 2:43 1:44 2:44 1:45 2:45}; do
  subset="${pair%%:*}" seed="${pair##*:}"
  keep "$subset" "${SUBSETS:-}" && keep "$seed" "${SEEDS:-}" || continue
  for method in ${METHODS:-chase mest}; do
    dir="$out/$method-s$subset-$seed"
    [ -f "$dir/result.json" ] && continue
    if pgrep -f "run_reference.py .*$(realpath -m "$dir") --method" > /dev/null; then
      echo "$(date +%H:%M) skipping $method subset $subset seed $seed: another process is running it" >&2
      continue
    fi
    echo "$(date +%H:%M) reference $method subset $subset seed $seed" >&2
    mkdir -p "$dir"
    nice -n "${NICE:-19}" /usr/bin/python3 experiments/reference/run_reference.py "$ref" "$data_root/fm4000-s$subset" \
      "$(realpath -m "$dir")" --method "$method" --seed "$seed" --threads "${THREADS:-1}" > "$dir.log" 2>&1 ||
      echo "failed: $(tail -n 1 "$dir.log")" >&2
  done
done
/usr/bin/python3 experiments/reference/reference-table.py "$out"
