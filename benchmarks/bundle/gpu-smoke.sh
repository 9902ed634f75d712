#!/usr/bin/env bash
# Checks RedTest's GPU engine on this node in one call (at most about 8 minutes on an H100), from the bundle
# this script sits in (benchmarks/gpu-bundle.sh): no Java, Maven or network needed.
#   0. finds the NVIDIA driver and the CUDA 13 libraries (system, CUDA_HOME, pip wheels under /opt or /usr/local)
#   1. redtest doctor: GPU, driver, CUDA, cuDNN and cuBLAS versions, a checked training step on each engine
#   2. every cuDNN/cuBLAS/NVRTC operation against the plain-Java reference (exact FP32), and training steps of
#      ResNet-20 and a NATS cell against DL4J on the CPU
#   3. one ResNet-20 epoch on the bundled Fashion-MNIST subset (img/s, top-1)
#   4. the MSRS of ResNet-56 over 10 x 256 test images
#   5. training and inference img/s of ResNet-20 and ResNet-56 at batch 128, ours beside PyTorch on this GPU
#      (pytorch_peer.py, for a python3 here that has torch; the product itself never needs Python)
# Results: RESULT_DIR/summary.txt and five logs. A failing step says why and the next one runs.
# Without a GPU it stops at once with exit code 2. Usage: gpu-smoke.sh [RESULT_DIR]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-gpu-smoke-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out" || exit 1
out="$(cd "$out" && pwd)"
summary="$out/summary.txt"
: > "$summary"
say() { echo "[gpu-smoke] $*" | tee -a "$summary"; }
t_start=$SECONDS
# step NAME LOG SECONDS COMMAND...: runs COMMAND with a time limit, its output appended to LOG
step() {
  local name="$1" log="$2" limit="$3"; shift 3
  local t0=$SECONDS rc
  echo "=== $name: $*" >> "$out/$log"
  timeout --kill-after=10 "$limit" "$@" >> "$out/$log" 2>&1
  rc=$?
  case $rc in
    0) say "$name: ok ($((SECONDS - t0)) s)" ;;
    124|137) say "$name: FAIL: stopped after its limit of $limit s (log $log)" ;;
    4) say "$name: FAIL: no usable GPU: $(grep -m1 -E 'error:|FAIL +gpu ' "$out/$log" | sed -E 's/.*error: //; s/^FAIL +gpu +//' | cut -c1-200) (log $log)" ;;
    *) say "$name: FAIL: exit code $rc: $(grep -m1 -E 'error:|FAIL|Exception' "$out/$log" | cut -c1-200) (log $log)" ;;
  esac
  return $rc
}

# 0. the driver and the libraries
driver=""
for d in $(ldconfig -p 2> /dev/null | awk '/libcuda\.so\.1 /{print $NF}') /usr/lib/x86_64-linux-gnu/libcuda.so.1 \
         /usr/lib64/libcuda.so.1 /usr/local/nvidia/lib64/libcuda.so.1 /usr/lib/wsl/lib/libcuda.so.1; do
  [[ -e "$d" ]] && { driver="$d"; break; }
done
if [[ -z "$driver" ]] || ! command -v nvidia-smi > /dev/null 2>&1 || ! nvidia-smi -L > "$out/gpus.txt" 2>&1; then
  say "STOP: no NVIDIA GPU found (driver library libcuda.so.1: ${driver:-not found}; nvidia-smi: $(command -v nvidia-smi > /dev/null 2>&1 && head -1 "$out/gpus.txt" || echo 'not found'))"
  rm -f "$out/gpus.txt"
  exit 2
fi
rm -f "$out/gpus.txt"
say "GPU: $(nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv,noheader | head -1)"
say "driver: $driver"
roots=()
[[ -n "${CUDA_HOME:-}" ]] && roots+=("$CUDA_HOME/lib64" "$CUDA_HOME/lib")
for r in /usr/local/cuda/lib64 /usr/local/cuda-13*/lib64 /opt /usr/local/lib /usr/lib/python3/dist-packages; do
  [[ -d "$r" ]] && roots+=("$r")
done
lib_dirs=("$(dirname "$driver")")
for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcudnn.so.9 libnvrtc.so.13; do
  found="$(find -L "${roots[@]}" -maxdepth 9 -name "$lib*" -type f 2> /dev/null | sort | head -1)"
  if [[ -z "$found" ]]; then
    say "library $lib: NOT FOUND under ${roots[*]} (set CUDA_HOME or LD_LIBRARY_PATH)"
    continue
  fi
  say "library $lib: $found"
  dir="$(dirname "$found")"
  [[ " ${lib_dirs[*]} " == *" $dir "* ]] || lib_dirs+=("$dir")
done
# cuDNN 9 loads its engine libraries (libcudnn_cnn, _ops, ...) from beside libcudnn.so.9
export LD_LIBRARY_PATH="$(IFS=:; echo "${lib_dirs[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
say "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
python=""
for p in ${REDTEST_PYTHON:-} $(ls -d /opt/*/bin/python3 /opt/*/*/bin/python3 2> /dev/null) "$(command -v python3 || true)"; do
  [[ -x "$p" ]] && "$p" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' > /dev/null 2>&1 \
    && { python="$p"; break; }
done
say "python with torch on the GPU: ${python:-none found (the PyTorch columns stay empty)}"
redtest=("$here/redtest" --device cuda)

# 1. doctor (the first call also unpacks the bundle)
step doctor doctor.log 120 "${redtest[@]}" doctor
grep -E '^(OK|WARN|FAIL|INFO) |^verdict' "$out/doctor.log" | cut -c1-240 | sed 's/^/  /' | tee -a "$summary"

# 2. kernels and whole training steps against the references
step gpu-ops kernels.log 60 "${redtest[@]}" bench gpu-ops
grep -E 'within .* of the reference|FAIL' "$out/kernels.log" | tail -8 | sed 's/^/  /' | tee -a "$summary"
for m in resnet20 'nats[C=16,N=1]:#1462'; do
  step "gpu-step $m" kernels.log 60 "${redtest[@]}" bench gpu-step --model "$m"
  { grep -A1 'compared (worst first)' "$out/kernels.log" | tail -1 | sed 's/^/worst: /'
    grep 'comparisons within tolerance' "$out/kernels.log" | tail -1; } | sed 's/^/  /' | tee -a "$summary"
done

# 3. one training epoch on the bundled subset
step "train resnet20, 1 epoch, 2,560 images" train.log 100 "${redtest[@]}" train --model resnet20 \
  --dataset fashion-mnist --train-limit 2560 --test-limit 2560 --epochs 1 --batch-size 128 --lr 0.05 \
  --name gpu-smoke --output-dir "$out/runs"
grep -E 'img/s|top-1' "$out/train.log" | tail -2 | sed 's/^ *//; s/^/  /' | tee -a "$summary"

# 4. MSRS of ResNet-56
step "msrs resnet56, 10 x 256 images" msrs.log 80 "${redtest[@]}" msrs --model resnet56 --dataset fashion-mnist \
  --batches 10 --batch-size 256 --db "$out/runs/redtest.db"
grep -E '^MSRS|MSRS' "$out/msrs.log" | tail -1 | sed 's/^/  /' | tee -a "$summary"

# 5. rates beside PyTorch
step "our rates, batch 128" rates.log 70 "${redtest[@]}" bench gpu-peer --models resnet20,resnet56 --batch-size 128
grep -E '^resnet' "$out/rates.log" | while read -r m train infer; do
  say "  ours    $m: train $train img/s, inference $infer img/s"
done
if [[ -n "$python" ]]; then
  for m in resnet20 resnet56; do
    step "PyTorch $m, batch 128" rates.log 45 "$python" "$here/pytorch_peer.py" "$m" 128 20 1 cuda
    grep -E '^\{"variant' "$out/rates.log" | tail -3 | "$python" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    train = "-" if r["train"] is None else "%.1f" % r["train"]
    print("  PyTorch %s %s: train %s img/s, inference %.1f img/s" % (sys.argv[1], r["variant"], train, r["infer"]))
' "$m" | tee -a "$summary"
  done
fi
say "done in $((SECONDS - t_start)) s: $out"
