#!/usr/bin/env bash
# Our speed against an earlier build of ours, alternating in one run: the MSRS measurement of
# ResNet-56 over 10 batches of 256 Fashion-MNIST test images (`bench msrs-overhead`) and one epoch of
# the quickstart's training (configs/quickstart.yaml: ResNet-20, 6,000 images, batch 128), each
# timed on both builds in turn, with the ratio. Usage: benchmarks/against-build.sh COMMIT [ROUNDS]
# Builds COMMIT in a temporary git worktree (offline Maven is fine). Run it alone: other work on the
# machine skews both sides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
old_commit="${1:?usage: benchmarks/against-build.sh COMMIT [ROUNDS]}"
rounds="${2:-2}"
[[ -f target/redtest.jar ]] || mvn -q -DskipTests package
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/old" "$old_commit"
(cd "$work/old" && mvn -q -o -DskipTests package >/dev/null 2>&1 || mvn -q -DskipTests package >/dev/null)
run() { # build-dir, what -> seconds on stdout
  local dir="$1" what="$2" out="$work/out-$RANDOM"
  case "$what" in
    msrs)
      "$dir/bin/redtest" bench msrs-overhead > "$out" 2>&1
      # the median round's measurement time
      grep -o 'MSRS measurement *[0-9.]* s' "$out" | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' ;;
    epoch)
      local t0 t1
      t0=$(date +%s.%N)
      "$dir/bin/redtest" train --model resnet20 --dataset fashion-mnist --train-per-class 600 --test-limit 2560 \
        --epochs 1 --batch-size 128 --lr 0.05 --weight-decay 0.0005 --lr-milestones 3 \
        --output-dir "$work/runs-$RANDOM" > "$out" 2>&1
      t1=$(date +%s.%N)
      echo "$t1 - $t0" | bc ;;
  esac
}
printf '%-44s %12s %12s %8s\n' "what (seconds, median of $rounds rounds)" "$old_commit" "this build" "speed-up"
for what in msrs epoch; do
  olds=(); news=()
  for ((r = 1; r <= rounds; r++)); do
    if (( r % 2 == 1 )); then olds+=("$(run "$work/old" $what)"); news+=("$(run . $what)")
    else news+=("$(run . $what)"); olds+=("$(run "$work/old" $what)"); fi
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  o=$(med "${olds[@]}"); n=$(med "${news[@]}")
  label=$([[ $what == msrs ]] && echo "MSRS of ResNet-56, 10 x 256 images" || echo "quickstart training epoch (incl. start-up)")
  printf '%-44s %12.1f %12.1f %7.2fx\n' "$label" "$o" "$n" "$(echo "$o / $n" | bc -l)"
done
