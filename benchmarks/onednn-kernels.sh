#!/usr/bin/env bash
# oneDNN 2.5.2 (the version our training path calls, JavaCPP presets 1.5.7) against oneDNN 3.11 (presets
# 1.5.13) on the convolutions that dominate a CIFAR ResNet's training step: the 3x3 stride-1 layers at 16,
# 32 and 64 channels, forward / backward-data / backward-weights, with activations in the layout oneDNN
# picks ("any"), in our channel-blocked layout and in nhwc. Median ms of REPS calls, GFLOP/s and the
# kernel oneDNN chose. The two versions run in processes of their own, alternating over ROUNDS rounds.
# Run it alone. The 3.11 presets are fetched into ~/.m2 on first use (network needed once); the product
# itself does not depend on them.
# Usage: benchmarks/onednn-kernels.sh [BATCH] [REPS] [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
batch="${1:-128}" reps="${2:-20}" rounds="${3:-2}"
m2="${MAVEN_REPO:-$HOME/.m2/repository}/org/bytedeco"
jars() { # ARTIFACT VERSION: the org.bytedeco jar and its linux-x86_64 natives in the local Maven repository
  echo "$m2/$1/$2/$1-$2.jar:$m2/$1/$2/$1-$2-linux-x86_64.jar"
}
for a in dnnl:3.11-1.5.13 opencl:3.0-1.5.13 dnnl:2.5.2-1.5.7 opencl:3.0-1.5.7; do
  if [[ ! -f "$m2/${a%%:*}/${a#*:}/${a%%:*}-${a#*:}-linux-x86_64.jar" ]]; then
    for c in "" ":jar:linux-x86_64"; do
      mvn -q dependency:get -Dartifact="org.bytedeco:$a$c" -Dtransitive=false
    done
  fi
done
runtime="$(jars javacpp 1.5.13)"
cp2="$(jars dnnl 2.5.2-1.5.7):$(jars opencl 3.0-1.5.7):$runtime"
cp3="$(jars dnnl 3.11-1.5.13):$(jars opencl 3.0-1.5.13):$runtime"
out=target/onednn-kernels
rm -rf "$out" && mkdir -p "$out/2" "$out/3"
src=benchmarks/onednn-kernels
javac -nowarn -d "$out/2" -cp "$cp2" "$src/Kernels.java" "$src/Calls.java" "$src/Dnnl2.java"
javac -nowarn -d "$out/3" -cp "$cp3" "$src/Kernels.java" "$src/Calls.java" "$src/Dnnl3.java"
for r in $(seq 1 "$rounds"); do
  echo "== round $r of $rounds (batch $batch, median of $reps calls)"
  # the 1.5.7 presets on the 1.5.13 runtime, as in the product: JavaCPP's version warning is expected
  java -cp "$out/2:$cp2" Dnnl2 "$batch" "$reps" 2>&1 | grep -v '^Warning: Versions of org.bytedeco'
  java -cp "$out/3:$cp3" Dnnl3 "$batch" "$reps" | tail -n +2
done
