#!/usr/bin/env bash
# Re-tries, as a user at a shell would, what a hostile tester found (issue 14): concurrent writers, interrupts, a kill
# before the final model, a corrupt checkpoint, edited config, replaced and moved data, a foreign --run-dir, and the
# command line's rough edges. Prints each command, the tail of what it printed and its exit code. Tiny runs on the
# built-in synthetic set and a 1,000-image Fashion-MNIST subset; a few minutes on 2 cores.
# Usage: experiments/hardening-retry.sh [FASHION_MNIST_DIR]   (default /usr/share/datasets/fashion-mnist)
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
chase="$repo/chase"
fmnist="${1:-/usr/share/datasets/fashion-mnist}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
tiny=(--model resnet20 --width 0.25 --dataset synthetic --batch-size 100 --threads 1)

show() { # show LINES CMD... : runs CMD, prints it, the last LINES lines of its output and its exit code
  local lines=$1; shift
  local shown=("$@"); shown[0]=chase
  echo "\$ $(printf '%q ' "${shown[@]}")"
  "$@" > out.txt 2>&1
  local rc=$?
  tail -n "$lines" out.txt | sed 's/^/    /'
  echo "    -> exit $rc"
}

wait_for() { # wait_for FILE TEXT : until FILE holds TEXT
  for _ in $(seq 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "timed out waiting for '$2' in $1"; return 1
}

echo "== two runs started in the same second, no --run-dir"
"$chase" train "${tiny[@]}" --epochs 1 > a.txt 2>&1 & a=$!
"$chase" train "${tiny[@]}" --epochs 1 > b.txt 2>&1 & b=$!
wait $a; echo "    first -> exit $?: $(grep -o 'in runs/[^ ]*' a.txt)"
wait $b; echo "    second -> exit $?: $(grep -o 'in runs/[^ ]*' b.txt)"

echo "== a second writer on a run directory in use"
"$chase" train "${tiny[@]}" --epochs 3 --run-dir busy > busy.txt 2>&1 & first=$!
wait_for busy.txt "training resnet20"
show 1 "$chase" train "${tiny[@]}" --epochs 3 --method rigl --update-interval 5 --run-dir busy
show 1 "$chase" train --resume busy
wait $first; echo "    the first -> exit $?"

echo "== Ctrl-C (SIGINT) in the first epoch, then --resume and --restart"
env --default-signal=INT "$chase" train "${tiny[@]}" --epochs 3 --run-dir int > int.txt 2>&1 & p=$!
wait_for int.txt "training resnet20"; kill -INT $p; wait $p; rc=$?
sed 's/^/    /' int.txt | grep -v "^    epoch [0-9]* \[" ; echo "    -> exit $rc"
show 4 "$chase" train --resume int --until-epoch 1
mkdir -p int2 && cp int/config.json int/fingerprints.json int2/ && mkdir int2/checkpoints && : > int2/metrics.jsonl
show 5 "$chase" train "${tiny[@]}" --epochs 3 --until-epoch 1 --run-dir int2 --restart

echo "== SIGTERM after the first epoch"
"$chase" train "${tiny[@]}" --epochs 30 --run-dir term > term.txt 2>&1 & p=$!
wait_for term.txt "epoch 1/30"; kill -TERM $p; wait $p; rc=$?
tail -n 5 term.txt | sed 's/^/    /'; echo "    -> exit $rc; files: $(ls term | tr '\n' ' ')"

echo "== killed (SIGKILL) after the shrink, before the final model"
CHASE_JAVA_OPTS="-Dchase.fault.pause-at=final-model" "$chase" train "${tiny[@]}" --epochs 1 --method chase \
  --update-interval 4 --channel-interval 8 --run-dir gap > gap.txt 2>&1 & p=$!
wait_for gap.txt "paused at final-model"; kill -9 $p; wait $p 2>/dev/null
show 1 "$chase" export gap --onnx
show 1 "$chase" flops gap
show 3 "$chase" train --resume gap
show 2 "$chase" export gap --onnx

echo "== a corrupt latest checkpoint"
"$chase" train "${tiny[@]}" --epochs 3 --until-epoch 2 --run-dir bad > /dev/null 2>&1
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[len(b)//2]^=1; open(p,'wb').write(b)" bad/checkpoints/epoch-0002.ckpt
show 1 "$chase" train --resume bad
show 9 "$chase" runs check bad
show 4 "$chase" train --resume bad --from-checkpoint 1 --until-epoch 2

echo "== edited config.json, other data, moved data"
java "$repo/tools/MakeFashionMnistSubset.java" --random 1000 --seed 1 "$fmnist" fm > /dev/null
"$chase" train --model resnet20 --width 0.25 --dataset fashion-mnist --data-dir fm --epochs 3 --until-epoch 1 \
  --batch-size 100 --threads 1 --run-dir data > /dev/null 2>&1
sed -i 's/"epochs" : 3/"epochs" : 4/' data/config.json
show 1 "$chase" train --resume data
sed -i 's/"epochs" : 4/"epochs" : 3/' data/config.json
mv fm fm-original && java "$repo/tools/MakeFashionMnistSubset.java" --random 1000 --seed 2 "$fmnist" fm > /dev/null
show 1 "$chase" train --resume data
rm -r fm && mv fm-original moved
show 1 "$chase" train --resume data
show 4 "$chase" train --resume data --data-dir moved --until-epoch 2

echo "== --run-dir of a folder holding other files"
mkdir -p mine && echo "my notes" > mine/notes.txt
show 1 "$chase" train "${tiny[@]}" --epochs 1 --run-dir mine

echo "== rough edges"
show 1 "$chase" train "${tiny[@]}" --epochs 1 --method rigl --update-interval 100
show 1 "$chase" train "${tiny[@]}" --epochs 1 --download
show 1 "$chase" train "${tiny[@]}" --epochs 1 --data-dir fm
show 1 "$chase" train "${tiny[@]}" --epochs 1 --batch-size 5000
show 1 "$chase" train "${tiny[@]}" --epochs 1 --until-epoch 2
printf 'epochs: many\n' > wrong.yaml; show 1 "$chase" train --recipe wrong.yaml
printf 'epochs: 2\nepochs: 3\n' > twice.yaml; show 1 "$chase" train --recipe twice.yaml
printf 'epochs:\n' > empty.yaml; show 1 "$chase" train --recipe empty.yaml
show 1 "$chase" train --recipe .
show 1 "$chase" train --resume wrong.yaml
show 1 "$chase" compare bad ./bad
"$chase" --help > help.txt 2>&1; echo "\$ chase --help: $(grep -c 'picocli WARN' help.txt) picocli warnings; the command list:"
sed -n '/^Commands:/,$p' help.txt | sed 's/^/    /'
"$chase" train "${tiny[@]}" --epochs 1 --run-dir "dense run" > dense.txt 2> dense-err.txt
echo "\$ chase train ... > log: epoch lines on stdout: $(grep -c '^epoch 1/1' dense.txt), on stderr: $(grep -c '^epoch 1/1' dense-err.txt)"
"$chase" train "${tiny[@]}" --epochs 2 --until-epoch 1 --run-dir "dense run 2" 2>/dev/null | grep "run directory" | sed 's/^/    /'
show 4 "$chase" bench "dense run" --batch-sizes 1 --repeats 2 --warmup 1
show 2 "$chase" export "dense run" --onnx
show 1 "$chase" bench-train --method chase --steps 3 --warmup 1 --width 0.25 --update-interval 100
