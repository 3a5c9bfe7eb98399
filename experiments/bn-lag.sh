#!/usr/bin/env bash
# Is a short-schedule run's test accuracy held down by BatchNorm's running statistics while the rate is high
# (docs/fidelity.md)? Trains a new run in OUT_DIR with the config of RUN_DIR (e.g. a run of experiments/fidelity-vgg19.sh)
# for EPOCHS epochs and after each prints the test accuracy with the running statistics and with them recalibrated
# on the training data (experiments/BatchNormLag.java). Builds the classes if needed; oneDNN limited as ./chase does.
# Usage: experiments/bn-lag.sh RUN_DIR OUT_DIR [EPOCHS, default 2] [THREADS, default 1]
set -euo pipefail
cd "$(dirname "$0")/.."
run="${1:?usage: experiments/bn-lag.sh RUN_DIR OUT_DIR [EPOCHS] [THREADS]}"
out="${2:?usage: experiments/bn-lag.sh RUN_DIR OUT_DIR [EPOCHS] [THREADS]}"
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
./mvnw -q -B compile dependency:build-classpath -Dmdep.outputFile="$classpath"
DNNL_MAX_CPU_ISA="${DNNL_MAX_CPU_ISA:-SSE41}" java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="${4:-1}" \
  -cp "target/classes:$(cat "$classpath")" experiments/BatchNormLag.java "$run" "$out" "${3:-2}"
