#!/usr/bin/env bash
# Copies the records of finished fidelity runs (ours: experiments/fidelity-vgg19.sh; the authors' code:
# experiments/reference/run-reference.sh) into experiments/fidelity-runs/, where they are committed: a study that
# takes many hours outlives the machine it ran on. Ours keep config.json, metrics.jsonl (every step's loss, every mask
# update) and summary.json; the reference keeps result.json. Unfinished runs are left out; a run already collected is
# replaced. Paths of this machine are written as RUNS/... (the runs folder) and DATA/fm4000-sK (a subset folder), so the
# records hold nothing machine-specific. Then prints both tables and their comparison (experiments/fidelity-compare.py).
# Usage: experiments/fidelity-collect.sh OURS_RUNS_DIR REFERENCE_RUNS_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
ours="${1:?usage: experiments/fidelity-collect.sh OURS_RUNS_DIR REFERENCE_RUNS_DIR}"
reference="${2:?usage: experiments/fidelity-collect.sh OURS_RUNS_DIR REFERENCE_RUNS_DIR}"
dest=experiments/fidelity-runs
# Rewrites absolute paths in the copied records: OURS_RUNS_DIR becomes RUNS, a subset folder DATA/fm4000-sK.
portable() { sed -i -E "s#$(realpath "$ours")#RUNS#g; s#\"/[^\"]*/(fm4000-s[0-9]+)\"#\"DATA/\1\"#g" "$@"; }
for summary in "$ours"/*/summary.json; do
  [ -f "$summary" ] && grep -q '"finished" *: *true' "$summary" || continue
  run="$(dirname "$summary")" name="$(basename "$(dirname "$summary")")"
  mkdir -p "$dest/ours/$name"
  cp "$run/config.json" "$run/metrics.jsonl" "$run/summary.json" "$dest/ours/$name/"
  portable "$dest/ours/$name/config.json" "$dest/ours/$name/summary.json"
done
for result in "$reference"/*/result.json; do
  [ -f "$result" ] || continue
  name="$(basename "$(dirname "$result")")"
  mkdir -p "$dest/reference/$name"
  cp "$result" "$dest/reference/$name/"
  portable "$dest/reference/$name/result.json"
done
[ -d "$dest/ours" ] && python3 experiments/fidelity-table.py "$dest/ours"
[ -d "$dest/reference" ] && echo && python3 experiments/reference/reference-table.py "$dest/reference"
[ -d "$dest/ours" ] && [ -d "$dest/reference" ] && echo && python3 experiments/fidelity-compare.py "$dest/ours" "$dest/reference"
exit 0
