#!/usr/bin/env bash
# Do two commits train bit for bit the same? For refactorings that must not change a number: builds each commit in a
# temporary worktree, trains the same short runs with one engine thread (every method; Chase with a channel budget,
# a FLOPs budget with prune-skip, rounding, masked and shrink-while-training; one run stopped after epoch 1 and
# resumed), and compares what each run wrote: metrics.jsonl without its timings, and every file of model/ and
# model-slim/. Prints one line per run (same / DIFFERENT) and exits 1 if any run differs.
# Usage: experiments/same-results.sh BASE_COMMIT [NEW_COMMIT, default: the working tree]
set -euo pipefail
cd "$(dirname "$0")/.."
base="${1:?usage: experiments/same-results.sh BASE_COMMIT [NEW_COMMIT]}"
new="${2:-}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" > /dev/null 2>&1 || true; git worktree remove --force "$work/new" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

common=(--dataset synthetic --width 0.25 --epochs 2 --batch-size 50 --lr 0.05 --lr-schedule cosine --seed 7 --threads 1)
soft=(--update-interval 10 --soft-bound-end 1)
chase=(--method chase "${soft[@]}" --channel-interval 10 --channel-end 2)
runs=(
  "dense|--model resnet20 --method dense"
  "static|--model vgg11 --method static --density 0.2"
  "set|--model resnet20 --method set --density 0.2 --update-interval 10"
  "rigl|--model resnet20 --method rigl --density 0.2 --update-interval 10"
  "mest|--model vgg11 --method mest --density 0.2 ${soft[*]}"
  "chase-shrinking|--model resnet20 --density 0.2 ${chase[*]} --channel-sparsity 0.5"
  "chase-masked-round|--model vgg11 --density 0.2 ${chase[*]} --channel-sparsity 0.5 --round-to 4 --shrink-during-training false"
  "chase-flops-skip|--model resnet20 --density 0.2 ${chase[*]} --target-flops 0.5 --prune-skip"
  "chase-resumed|--model resnet20 --density 0.2 ${chase[*]} --channel-sparsity 0.5 --until-epoch 1"
)

build() { # commit-or-empty, folder
  if [ -n "$1" ]; then
    git worktree add --detach "$2" "$1" > /dev/null 2>&1
  else
    mkdir -p "$2" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$2"
  fi
  (cd "$2" && ./mvnw -q -B -DskipTests package > "$2.build.log" 2>&1) || { echo "build of ${1:-the working tree} failed: $2.build.log" >&2; exit 2; }
}

train_all() { # folder
  for entry in "${runs[@]}"; do
    name="${entry%%|*}"
    # shellcheck disable=SC2086
    (cd "$1" && ./chase train ${entry#*|} "${common[@]}" --run-dir "$1/runs/$name" > "$1/runs/$name.log" 2>&1) ||
      { echo "$name failed in $1: $(tail -n 1 "$1/runs/$name.log")" >&2; exit 2; }
    if [ "$name" = chase-resumed ]; then
      (cd "$1" && ./chase train --resume "$1/runs/$name" --threads 1 >> "$1/runs/$name.log" 2>&1)
    fi
  done
}

fingerprint() { # run folder
  python3 - "$1" <<'PY'
import hashlib, json, pathlib, sys
run = pathlib.Path(sys.argv[1])
timing = {"epoch-seconds", "train-images-per-second"}
h = hashlib.sha256()
for line in (run / "metrics.jsonl").read_text().splitlines():
    record = {k: v for k, v in json.loads(line).items() if k not in timing}
    h.update(json.dumps(record, sort_keys=True).encode())
for folder in ("model", "model-slim"):
    for f in sorted((run / folder).rglob("*")) if (run / folder).exists() else []:
        if f.is_file():
            h.update(f.relative_to(run).as_posix().encode() + f.read_bytes())
print(h.hexdigest())
PY
}

mkdir -p "$work/base/runs" "$work/new/runs" 2> /dev/null || true
rm -rf "$work/base" "$work/new"
echo "building $base and ${new:-the working tree}..." >&2
build "$base" "$work/base"
build "$new" "$work/new"
mkdir -p "$work/base/runs" "$work/new/runs"
echo "training ${#runs[@]} runs with each..." >&2
train_all "$work/base"
train_all "$work/new"
status=0
for entry in "${runs[@]}"; do
  name="${entry%%|*}"
  a="$(fingerprint "$work/base/runs/$name")"
  b="$(fingerprint "$work/new/runs/$name")"
  if [ "$a" = "$b" ]; then echo "same       $name  ${a:0:16}"; else echo "DIFFERENT  $name  ${a:0:16} vs ${b:0:16}"; status=1; fi
done
exit "$status"
