#!/usr/bin/env bash
# GPU smoke test in one call (about 5-8 minutes on a fresh GPU machine with a JDK 17 and Maven):
#   1. our CPU training rates of ResNet-20 and ResNet-56, for comparison (CPU build);
#   2. the CUDA build (mvn -Pcuda), then `redtest doctor` (devices, whether ND4J's CUDA natives carry
#      code for this GPU, a tiny training step checked against DL4J's plain layers);
#   3. one quickstart epoch on the GPU, the MSRS of ResNet-56 on 10 x 256 test images, and the GPU
#      training rates of ResNet-20 and ResNet-56.
# Everything goes to one folder (default gpu-smoke-<time>/): summary.txt plus each step's log.
# Without an NVIDIA GPU it stops at once with exit code 2; when doctor finds the natives cannot run
# on this GPU it stops after doctor with exit code 3 (the report says why and what would work).
# Usage: benchmarks/gpu-smoke.sh [OUTPUT_DIR]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-gpu-smoke-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
summary="$out/summary.txt"
say() { echo "[gpu-smoke] $*" | tee -a "$summary"; }
step() { # step NAME COMMAND...: runs a command with its output in NAME.log, says how it ended
  local name="$1"; shift
  local t0=$SECONDS
  "$@" > "$out/$name.log" 2>&1
  local rc=$?
  say "$name: exit $rc after $((SECONDS - t0)) s (log $out/$name.log)"
  return $rc
}

if ! command -v nvidia-smi > /dev/null 2>&1; then
  say "FAIL: no NVIDIA GPU here (nvidia-smi not found); nothing to test"
  exit 2
fi
if ! nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv > "$out/nvidia-smi.csv" 2>&1; then
  say "FAIL: nvidia-smi found no usable GPU: $(head -1 "$out/nvidia-smi.csv")"
  exit 2
fi
say "GPU: $(sed -n 2p "$out/nvidia-smi.csv")"
for tool in java mvn; do
  command -v "$tool" > /dev/null || { say "FAIL: '$tool' not found: install a JDK 17 and Maven"; exit 1; }
done
if [[ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]]; then
  sudo=""; [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  step install-data bash -c "$sudo apt-get update -qq && $sudo apt-get install -y -qq dataset-fashion-mnist" \
    || say "WARN: Fashion-MNIST not installed; the data steps will fail"
fi

# 1. CPU figures for comparison
step build-cpu mvn -q -B -DskipTests clean package || exit 1
for m in resnet20 resnet56; do
  step "cpu-rate-$m" bin/redtest bench cpu-path --model "$m" --ours-only --batches 5
  say "  CPU $m: $(tail -1 "$out/cpu-rate-$m.log")"
done

# 2. CUDA build and doctor
step build-cuda mvn -q -B -Pcuda -DskipTests clean package || exit 1
step doctor bin/redtest doctor
doctor_rc=$?
grep -E "^(OK|WARN|FAIL|INFO) |^verdict" "$out/doctor.log" | sed 's/^/  /' | tee -a "$summary"
bin/redtest doctor --json > "$out/doctor.json" 2> /dev/null
if [[ $doctor_rc -ne 0 ]]; then
  say "STOP: doctor found a failing check (above); the GPU steps would fail the same way"
  exit 3
fi

# 3. the GPU at work
step quickstart-1-epoch bin/redtest train --model resnet20 --dataset fashion-mnist --train-per-class 600 \
  --test-limit 2560 --epochs 1 --batch-size 128 --lr 0.05 --name gpu-smoke --output-dir "$out/runs"
say "  $(grep -E 'epoch 1/1 .*top-1' "$out/quickstart-1-epoch.log" | tail -1 | sed 's/.*INFO *//')"
step msrs-resnet56 bin/redtest msrs --model resnet56 --dataset fashion-mnist --batches 10 --batch-size 256 \
  --db "$out/runs/redtest.db"
say "  $(grep -E '^MSRS' "$out/msrs-resnet56.log" | tail -1)"
for m in resnet20 resnet56; do
  step "gpu-rate-$m" bin/redtest bench cpu-path --model "$m" --ours-only --batches 10
  say "  GPU $m: $(tail -1 "$out/gpu-rate-$m.log")"
done
say "done: $out"
