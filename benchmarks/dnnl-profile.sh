#!/usr/bin/env bash
# Where a training step's time goes, in oneDNN's own timings: runs `bench profile-training` with our copy
# of oneDNN printing every primitive it executes (REDTEST_DNNL_VERBOSE=1), then sums the printed times
# per primitive and pass, and per convolution shape and layout, as ms per step and as a share of the
# step's wall time (the rest is outside oneDNN: DL4J's graph, ND4J operations, the updater, Java).
# Run it alone. Usage: benchmarks/dnnl-profile.sh [MODEL] [BATCH] [STEPS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
model="${1:-resnet20}" batch="${2:-128}" steps="${3:-20}"
log="$(mktemp)" summary="$(mktemp)"
trap 'rm -f "$log" "$log.rows" "$summary"' EXIT
REDTEST_DNNL_VERBOSE=1 bin/redtest bench profile-training --model "$model" --batch-size "$batch" --batches "$steps" > "$log"
# the profile runs 2 unrecorded steps before the timed ones; oneDNN prints all of them
calls=$((steps + 2))
rate="$(grep -m1 -oE '[0-9.]+ img/s' "$log" | cut -d' ' -f1)"
# one line per primitive and pass ("K") and per convolution pass, problem and source layout ("C"), unsorted
awk -F, -v calls="$calls" -v batch="$batch" -v rate="$rate" -v model="$model" -v out="$summary" '
  ($1 == "onednn_verbose" || $1 == "dnnl_verbose") && $2 == "exec" {
    ms = $NF; kind = $4 " " $6; impl[kind] = $5
    total += ms; byKind[kind] += ms
    if ($4 == "convolution") {
      split($7, mds, " "); split(mds[1], parts, ":")   # e.g. src_f32::blocked:aBcd16b:f0
      key = $6 "," $10 "," parts[4] "," $5
      byConv[key] += ms; convCalls[key]++
    }
  }
  function dim(p, name) { return match(p, name "[0-9]+") ? substr(p, RSTART + length(name), RLENGTH - length(name)) : 0 }
  END {
    step = batch * 1000 / rate
    printf "%s, batch %d: %.1f img/s in the profiled steps, %.1f ms per step; oneDNN primitives %.1f ms per step (%.0f%%)\n",
      model, batch, rate, step, total / calls, 100 * total / calls / step > out
    for (k in byKind) {
      printf "K\t%.3f\t%-36s %10.2f %7.1f%%  %s\n", byKind[k], k, byKind[k] / calls, 100 * byKind[k] / calls / step, impl[k]
    }
    for (k in byConv) {
      split(k, f, ",")
      # one call of this problem: 2 * mb * oc * oh * ow * ic * kh * kw flops (no groups in our networks)
      flop = 2 * dim(f[2], "mb") * dim(f[2], "oc") * dim(f[2], "oh") * dim(f[2], "ow") * dim(f[2], "ic") * dim(f[2], "kh") * dim(f[2], "kw")
      printf "C\t%.3f\t%-17s %-58s %-10s %8.2f %8.1f  %s\n", byConv[k], f[1], f[2], f[3], byConv[k] / calls,
        flop * convCalls[k] / 1e9 / (byConv[k] / 1e3), f[4]
    }
  }' "$log" > "$log.rows"
cat "$summary"
printf "\n%-36s %10s %8s  %s\n" "primitive and pass" "ms/step" "of step" "kernel"
grep '^K' "$log.rows" | sort -t$'\t' -k2,2 -g -r | cut -f3-
printf "\n%-17s %-58s %-10s %8s %8s  %s\n" "convolution pass" "problem" "src" "ms/step" "GFLOP/s" "kernel"
grep '^C' "$log.rows" | sort -t$'\t' -k2,2 -g -r | cut -f3-
