#!/usr/bin/env bash
# Issue 16's evidence: Chase (density 0.1, --target-flops 0.5) for one epoch on a seeded 4,000-image Fashion-MNIST subset,
# for every graph architecture: the built-in graph models (width WIDTH, default 0.25) and the ONNX files of five public CNNs
# (torchvision 0.14 definitions exported by tools/onnx-fixtures.py, input channels and classes set to the data's). Each run
# is then benchmarked at batch 128 (chase bench: dense, masked and shrunk, interleaved repeats). The table
# (experiments/graph-architectures-table.py) gives groups, prunable channels, accuracy, dense-of-slim FLOPs, the measured
# batch-128 throughput gain of the shrunk network and the masked-vs-shrunk logit difference (the runs keep their channels
# masked until the end, so that the final shrink slices a masked network and the two can be compared).
# Usage: [OUT=runs/graph-architectures] [WIDTH=0.25] [THREADS=1] [MODELS="resnet18 onnx:..."] \
#        experiments/graph-architectures.sh FASHION_MNIST_SUBSET_DIR
# A subset: java tools/MakeFashionMnistSubset.java --random 4000 --seed 1 /usr/share/datasets/fashion-mnist DIR
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: experiments/graph-architectures.sh FASHION_MNIST_SUBSET_DIR}"
out="${OUT:-runs/graph-architectures}"
width="${WIDTH:-0.25}"
threads="${THREADS:-1}"
onnx=src/test/resources/onnx
models="${MODELS:-resnet18 resnet34 wrn-22-2 wrn-28-10 mobilenetv2 densenet-bc-100 onnx:$onnx/resnet18.onnx
  onnx:$onnx/mobilenet_v2.onnx onnx:$onnx/mobilenet_v3_small.onnx onnx:$onnx/efficientnet_b0.onnx onnx:$onnx/densenet121.onnx
  onnx:$onnx/regnet_x_400mf.onnx}"
mkdir -p "$out"
for model in $models; do
  name="${model##*/}"; name="${name%.onnx}"; [[ "$model" == onnx:* ]] && name="onnx-$name"
  dir="$out/$name"
  [ -f "$dir/bench.json" ] && continue
  rm -rf "$dir"
  w=(); [[ "$model" == onnx:* ]] || w=(--width "$width")
  echo "$(date +%H:%M) $name" >&2
  ./chase groups --model "$model" "${w[@]}" > "$out/$name.groups.txt" 2>&1 || true
  ./chase train --model "$model" "${w[@]}" --dataset fashion-mnist --data-dir "$data" --epochs 1 --batch-size 100 --lr 0.05 \
    --lr-schedule cosine --method chase --density 0.1 --target-flops 0.5 --channel-interval 8 --update-interval 8 \
    --shrink-during-training false --threads "$threads" --seed 41 --run-dir "$dir" > "$dir.log" 2>&1 || { echo "failed: $(tail -n 1 "$dir.log")" >&2; continue; }
  ./chase bench "$dir" --batch-sizes 128 --repeats 10 --threads "$threads" > "$dir.bench.log" 2>&1 ||
    echo "bench failed: $(tail -n 1 "$dir.bench.log")" >&2
done
python3 experiments/graph-architectures-table.py "$out"
