#!/usr/bin/env bash
# Checks a GPU bundle (benchmarks/gpu-bundle.sh OUT) as a bare GPU node would run it, on this machine without
# a GPU: in a private mount namespace with empty folders over the JDKs (/usr/lib/jvm) and ~/.m2, so nothing
# but the bundle can provide Java. Checks that
#   - the bundle is at most 60 MiB on disk (what one call to a borrowed GPU node may carry);
#   - OUT/redtest doctor says there is no GPU and exits with code 4;
#   - OUT/redtest --help and a CPU training of a tiny ResNet on the bundled data work;
#   - OUT/redtest similarity works on two .npy files;
#   - OUT/gpu-smoke.sh stops at once (exit code 2) saying no GPU was found.
# Usage: benchmarks/bundle-check.sh OUT     (unshare: root or user namespaces; without them, or with
# REDTEST_BUNDLE_CHECK_NO_UNSHARE=1, java is only hidden from PATH)
set -euo pipefail
bundle="$(cd "${1:?usage: benchmarks/bundle-check.sh OUT}" && pwd)"
size="$(du -sk "$bundle" | cut -f1)"
size_fail=0
if ((size <= 60 * 1024)); then
  echo "bundle-check: ok   $bundle is $size KiB on disk, within 60 MiB"
else
  echo "bundle-check: FAIL $bundle is $size KiB on disk, over 60 MiB (docs/maintainers.md, \"GPU engine and bundle\")"
  size_fail=1
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/redtest-bundle-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/empty-jvm" "$work/empty-m2" "$work/npy" "$work/cache"

# two layers' activations of 64 samples (float32, 64 x 8 and 64 x 4) in NumPy's .npy format
npy() { # npy FILE ROWS COLS SEED
  local header="{'descr': '<f4', 'fortran_order': False, 'shape': ($2, $3), }"
  local pad=$((64 - (10 + ${#header} + 1) % 64))
  {
    printf '\x93NUMPY\x01\x00'
    printf "$(printf '\\%03o\\%03o' $(((${#header} + pad + 1) & 255)) $(((${#header} + pad + 1) >> 8)))"
    printf '%s%*s\n' "$header" "$pad" ''
    perl -e 'srand($ARGV[0]); print pack("f<*", map { rand() - 0.5 } 1 .. $ARGV[1])' "$4" $(($2 * $3))
  } > "$1"
}
npy "$work/npy/layer1.npy" 64 8 1
npy "$work/npy/layer2.npy" 64 4 2

cat > "$work/inside.sh" <<'EOF'
set -uo pipefail
bundle="$1" work="$2"
fail=0
check() { # check WHAT EXPECTED_RC PATTERN COMMAND...
  local what="$1" want="$2" pattern="$3"; shift 3
  local t0=$SECONDS rc
  "$@" > "$work/out.txt" 2>&1
  rc=$?
  if [[ $rc -eq $want ]] && grep -qE "$pattern" "$work/out.txt"; then
    echo "bundle-check: ok   $what (exit $rc, $((SECONDS - t0)) s)"
  else
    echo "bundle-check: FAIL $what: exit $rc (wanted $want), output:"; sed 's/^/    /' "$work/out.txt" | tail -15
    fail=1
  fi
}
if command -v java > /dev/null && java -version > /dev/null 2>&1; then
  echo "bundle-check: FAIL java still runs here: the JDKs are not hidden"; exit 1
fi
export REDTEST_BUNDLE_CACHE="$work/cache"
check "doctor says there is no GPU" 4 'FAIL  gpu +no GPU engine here: libcuda.so.1 not found' "$bundle/redtest" doctor
check "--help" 0 'Usage: redtest' "$bundle/redtest" --help
check "msrs --help" 0 'Usage: redtest msrs' "$bundle/redtest" msrs --help
check "similarity of two .npy files" 0 'MSRS' "$bundle/redtest" similarity --activations "$work/npy"
check "CPU training of a tiny ResNet on the bundled data" 0 'top-1' "$bundle/redtest" --device cpu train \
  --model resnet8 --dataset fashion-mnist --train-limit 256 --test-limit 128 --epochs 1 --batch-size 64 \
  --output-dir "$work/runs"
check "gpu-smoke.sh stops at once without a GPU" 2 'STOP: no NVIDIA GPU found' "$bundle/gpu-smoke.sh" "$work/smoke"
exit $fail
EOF
# unshare -m as root, -rm (a user namespace mapping us to root) otherwise
flags=(-m); [[ "$(id -u)" -eq 0 ]] || flags=(-r -m)
m2="${HOME}/.m2"; mkdir -p "$m2"
rc=0
if [[ -z "${REDTEST_BUNDLE_CHECK_NO_UNSHARE:-}" ]] && unshare "${flags[@]}" true 2> /dev/null; then
  unshare "${flags[@]}" bash -c '
    mount --bind "$1/empty-jvm" /usr/lib/jvm && mount --bind "$1/empty-m2" "$2" || { echo "bundle-check: cannot hide the JDKs" >&2; exit 1; }
    bash "$1/inside.sh" "$3" "$1"' bash "$work" "$m2" "$bundle" || rc=$?
else
  # a sandbox without mount namespaces: the weaker check, with no java, mvn or JAVA_HOME to be found
  echo "bundle-check: no mount namespace here (unshare ${flags[*]} refused); hiding java from PATH instead"
  mkdir -p "$work/bin"
  for t in bash sh env cat grep sed head tail cut tr mkdir mv rm ls touch dirname readlink basename xz tar timeout \
           date find sort uname id perl printf tee awk du sleep; do
    p="$(command -v "$t" 2> /dev/null)" && ln -sf "$p" "$work/bin/$t"
  done
  env -i HOME="$HOME" TMPDIR="${TMPDIR:-/tmp}" PATH="$work/bin" bash "$work/inside.sh" "$bundle" "$work" || rc=$?
fi
exit $((rc != 0 ? rc : size_fail))
