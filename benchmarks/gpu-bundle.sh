#!/usr/bin/env bash
# Builds a self-contained RedTest for a bare GPU node (no Java, no Maven, no network), at most 60 MiB:
#   OUT/redtest ARGS      the CLI (first call unpacks the payload into a cache folder, about 20 s)
#   OUT/gpu-smoke.sh DIR  finds the CUDA 13 libraries and checks the GPU engine in one call (docs/gpu.md)
#   OUT/payload.tar.xz    a jlink'd Java runtime, our jar and its dependencies, the natives a GPU run needs,
#                         and a Fashion-MNIST subset (2,560 training and 2,560 test images)
#   OUT/pytorch_peer.py   the PyTorch peer of the rate comparison, for the node's own python3 with torch
#   OUT/README.txt        what is inside and how to use it
# Trimmed for a GPU run (docs/maintainers.md, "GPU engine and bundle"): what a GPU run never loads (oneDNN: ND4J's
# plain natives replace its oneDNN build; ONNX Runtime and ND4J's model import; the CUDA bindings other than
# cudart, cuBLAS, cuDNN and NVRTC; natives of other platforms; Java modules and AWT libraries a headless run
# does not use) and native symbol tables. Jars are stored uncompressed so that xz sees through them. Building
# takes about 10 minutes (xz of about 480 MB in one block).
# Usage: benchmarks/gpu-bundle.sh OUT      (REDTEST_BUNDLE_NO_BUILD=1 reuses target/ as it is)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: benchmarks/gpu-bundle.sh OUT}"
limit_mib=60
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
for tool in jlink jar; do
  [[ -x "$jdk/bin/$tool" ]] || { echo "gpu-bundle: $jdk/bin/$tool not found: set JAVA_HOME to a JDK 17" >&2; exit 1; }
done
for tool in xz strip sha256sum; do
  command -v "$tool" > /dev/null || { echo "gpu-bundle: '$tool' not found" >&2; exit 1; }
done
data=/usr/share/datasets/fashion-mnist
[[ -f "$data/train-images-idx3-ubyte.gz" ]] \
  || { echo "gpu-bundle: $data not found (apt-get install dataset-fashion-mnist)" >&2; exit 1; }
if [[ -e "$out" ]] && [[ -n "$(ls -A "$out" 2>/dev/null)" ]] && [[ ! -f "$out/payload.tar.xz" ]]; then
  echo "gpu-bundle: $out exists and is not a bundle; choose an empty or new folder" >&2
  exit 1
fi

if [[ "${REDTEST_BUNDLE_NO_BUILD:-0}" != 1 ]]; then
  echo "gpu-bundle: building (mvn -DskipTests package)"
  (cd "$repo" && mvn -B -q -DskipTests package)
fi
[[ -f "$repo/target/redtest.jar" && -d "$repo/target/lib" ]] || { echo "gpu-bundle: build first" >&2; exit 1; }

stage="$(mktemp -d "${TMPDIR:-/tmp}/redtest-bundle.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
root="$stage/redtest"
mkdir -p "$root/lib" "$root/data/fashion-mnist"

echo "gpu-bundle: Java runtime (jlink)"
# The modules our jars use (jdeps, and what the bundle's checks load), less java.compiler (only named by annotations
# not kept at run time) and jdk.jfr (bench profile-training, which profiles the oneDNN path the bundle does not
# have). No jlink compression and no CDS archive: xz does better on the plain files.
"$jdk/bin/jlink" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.sql,java.xml,jdk.management,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=0 --output "$root/runtime"
# AWT's X11 toolkit, splash screen, sound, JPEG codec and native-window bridge: charts are drawn headless into PNGs
rm -f "$root"/runtime/lib/{libawt_xawt,libsplashscreen,libjsound,libjavajpeg,libjawt}.so
find "$root/runtime" -name '*.so' -type f -exec strip --strip-unneeded {} +  # libjvm.so ships its symbol table

# repack DIR JAR: stores DIR as an uncompressed jar, keeping its manifest
repack() {
  local dir="$1" jarfile="$2"
  if [[ -f "$dir/META-INF/MANIFEST.MF" ]]; then
    "$jdk/bin/jar" --create --no-compress --file "$jarfile" --manifest "$dir/META-INF/MANIFEST.MF" -C "$dir" .
  else
    "$jdk/bin/jar" --create --no-compress --no-manifest --file "$jarfile" -C "$dir" .
  fi
}

echo "gpu-bundle: dependencies (trimmed, stored uncompressed)"
# ND4J's plain CPU natives in place of the oneDNN build (34.5 MB after xz, against 27 MB): with the fast CPU path
# off, nothing in the bundle calls oneDNN, and without the -onednn natives CpuAcceleration leaves DL4J's helpers off.
onednn=("$repo"/target/lib/nd4j-native-*-linux-x86_64-onednn.jar)
[[ -f "${onednn[0]}" ]] || { echo "gpu-bundle: ND4J's oneDNN natives not found in target/lib" >&2; exit 1; }
nd4j_version="$(basename "${onednn[0]}" | sed -E 's/^nd4j-native-(.*)-linux-x86_64-onednn\.jar$/\1/')"
(cd "$repo" && mvn -B -q dependency:copy -Dartifact="org.nd4j:nd4j-native:$nd4j_version:jar:linux-x86_64" \
  -DoutputDirectory="$stage/plain") || { echo "gpu-bundle: cannot get org.nd4j:nd4j-native:$nd4j_version:linux-x86_64" >&2; exit 1; }
for j in "$repo"/target/lib/*.jar "$stage"/plain/*.jar; do
  name="$(basename "$j")"
  case "$name" in
    # not loaded by a GPU run: the fast CPU path's oneDNN and its OpenCL loader (-Dredtest.fastCpuPath=false), the
    # oneDNN build of ND4J's natives (the plain build from $stage/plain is used), ONNX Runtime (msrs --onnx,
    # export), fastutil (one DL4J listener), PDFBox (xchart's PDF export); commons-compress, commons-codec and
    # gson, which only ND4J's dataset downloader, its test resources and protobuf's JSON printer (left out below) use
    dnnl-*.jar|opencl-*.jar|nd4j-native-*-onednn.jar|onnxruntime-*.jar|fastutil-*.jar|pdfbox-*.jar|fontbox-*.jar) continue ;;
    graphics2d-*.jar|commons-compress-*.jar|commons-codec-*.jar|gson-*.jar) continue ;;
  esac
  work="$stage/jar"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && "$jdk/bin/jar" --extract --file "$j")
  case "$name" in
    nd4j-api-*.jar)      # ND4J's model import (the ONNX, TensorFlow and IR protocol buffers, graph mappers) and SameDiff
      rm -rf "$work"/{onnx,tensorflow,org/tensorflow/distruntime,org/tensorflow/util,org/nd4j/ir} \
        "$work"/org/nd4j/imports/{graphmapper,converters,descriptors,tensorflow} \
        "$work"/org/nd4j/autodiff/{samediff,listeners,validation,execution} ;;
    # Below: packages that no class in the bundle reaches (the closure of the class references of every other kept
    # class, package by package; none of these libraries loads its own classes by name)
    commons-math3-*.jar)
      rm -rf "$work"/org/apache/commons/math3/{dfp,filter,genetics,geometry,ml,ode,optimization,primes,transform} \
        "$work"/org/apache/commons/math3/{analysis/integration,distribution/fitting,optim/linear,optim/nonlinear/scalar} \
        "$work"/org/apache/commons/math3/{optim/univariate,stat/clustering,stat/inference,stat/interval} ;;
    protobuf-*.jar)      # protobuf's JSON and compiler utilities and the Guava copy that only they use
      rm -rf "$work"/{org/nd4j/shade/protobuf/common,org/nd4j/shade/protobuf/util,org/nd4j/shade/protobuf/compiler,com/google/thirdparty} ;;
    jackson-*-M*.jar)    # ND4J's shaded Jackson: the XML data format and its StAX parser
      rm -rf "$work"/{org/nd4j/shade/wstx,org/nd4j/shade/codehaus/stax2,org/nd4j/shade/jackson/dataformat/xml} ;;
    guava-*-M*.jar)      rm -rf "$work"/org/nd4j/shade/guava/{cache,reflect,net,eventbus,escape,xml,html} "$work"/org/nd4j/shade/thirdparty ;;
    commons-lang3-*.jar) rm -rf "$work"/org/apache/commons/lang3/{time,concurrent,event,compare} ;;
    commons-collections4-*.jar) rm -rf "$work"/org/apache/commons/collections4/{bidimap,splitmap} ;;
    commons-net-*.jar)   rm -rf "$work"/org/apache/commons/net/{ftp,nntp,telnet,imap,smtp,pop3,tftp,bsd,daytime,discard,echo,finger,chargen,ntp,time,whois} ;;
    # other operating systems: JNA's native dispatch libraries, its Windows and macOS APIs, oshi's and jline's parts
    jna-[0-9]*.jar)      find "$work/com/sun/jna" -mindepth 1 -maxdepth 1 -type d ! -name linux-x86-64 \
                           -exec sh -c 'ls "$1"/*.class > /dev/null 2>&1 || rm -rf "$1"' sh {} \; ;;
    jna-platform-*.jar)  rm -rf "$work"/com/sun/jna/platform/{win32,mac,wince} ;;
    oshi-core-*.jar)     for d in hardware/platform jna/platform software/os util/platform; do
                           rm -rf "$work/oshi/$d"/{mac,windows,unix/freebsd,unix/solaris}
                         done ;;
    jline-native-*.jar)  find "$work/org/jline/nativ" -mindepth 1 -maxdepth 1 -type d ! -name Linux -exec rm -rf {} +
                         find "$work/org/jline/nativ/Linux" -mindepth 1 -maxdepth 1 ! -name x86_64 -exec rm -rf {} + ;;
    cuda-*-linux-x86_64.jar)                                  # keep what CudaDevice loads
      find "$work/org/bytedeco/cuda/linux-x86_64" -type f \
        ! \( -name libjnicudart.so -o -name libjnicublas.so -o -name libjnicudnn.so -o -name libjninvrtc.so \) -delete ;;
    cuda-*.jar)                                               # bindings of libraries other than the four we load
      find "$work/org/bytedeco/cuda" -mindepth 1 -maxdepth 1 -type d \
        ! \( -name cudart -o -name cublas -o -name cudnn -o -name nvrtc -o -name global -o -name presets \) -exec rm -rf {} +
      find "$work/org/bytedeco/cuda/global" -type f ! \( -name 'cudart*' -o -name 'cublas*' -o -name 'cudnn*' -o -name 'nvrtc*' \) -delete ;;
    sqlite-jdbc-*.jar) find "$work/org/sqlite/native" -mindepth 1 -maxdepth 1 ! -name Linux -exec rm -rf {} +
                       find "$work/org/sqlite/native/Linux" -mindepth 1 -maxdepth 1 ! -name x86_64 -exec rm -rf {} + ;;
  esac
  find "$work" -name '*.so*' -type f -exec strip --strip-unneeded {} + 2> /dev/null || true
  find "$work" -path '*/include/*' -delete 2> /dev/null || true
  repack "$work" "$root/lib/$name"
done
# redtest.jar, stored uncompressed too, its manifest's class path naming the jars in the bundle (in the same order,
# the plain natives where the oneDNN build was): a manifest line is at most 72 bytes, one jar per continuation line
work="$stage/jar"
rm -rf "$work" && mkdir -p "$work"
(cd "$work" && "$jdk/bin/jar" --extract --file "$repo/target/redtest.jar")
mf="$work/META-INF/MANIFEST.MF"
flat="$(awk '{ sub(/\r$/, "") } /^ / { line = line substr($0, 2); next } { if (NR > 1) print line; line = $0 } END { print line }' "$mf")"
kept=()
for entry in $(grep '^Class-Path: ' <<< "$flat" | cut -d' ' -f2-); do
  jarname="${entry#lib/}"
  [[ "$jarname" == nd4j-native-*-linux-x86_64-onednn.jar ]] && jarname="nd4j-native-$nd4j_version-linux-x86_64.jar"
  [[ -f "$root/lib/$jarname" ]] && kept+=("lib/$jarname")
done
[[ "${#kept[@]}" -eq "$(ls "$root/lib" | wc -l)" ]] \
  || { echo "gpu-bundle: redtest.jar's class path does not name every bundled jar" >&2; exit 1; }
{ grep -v -e '^Class-Path: ' -e '^$' <<< "$flat"; echo "Class-Path: ${kept[0]}"; printf '  %s\n' "${kept[@]:1}"; } > "$mf.new"
mv "$mf.new" "$mf"
repack "$work" "$root/redtest.jar"
rm -rf "$work"

echo "gpu-bundle: Fashion-MNIST subset"
# idx_head FILE HEADER_BYTES ITEM_BYTES N: the first N items with the count in the header set to N
# (uncompressed: xz packs the raw images 14% smaller than gzip -9 did)
idx_head() {
  local file="$1" header="$2" item="$3" n="$4"
  ( set +o pipefail # head closes gzip's pipe early, on purpose
    gzip -dc "$file" | head -c 4
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)))"
    gzip -dc "$file" | head -c "$((header + item * n))" | tail -c "+9"
  )
}
d="$root/data/fashion-mnist"
idx_head "$data/train-images-idx3-ubyte.gz" 16 784 2560 > "$d/train-images-idx3-ubyte"
idx_head "$data/train-labels-idx1-ubyte.gz" 8 1 2560 > "$d/train-labels-idx1-ubyte"
idx_head "$data/t10k-images-idx3-ubyte.gz" 16 784 2560 > "$d/t10k-images-idx3-ubyte"
idx_head "$data/t10k-labels-idx1-ubyte.gz" 8 1 2560 > "$d/t10k-labels-idx1-ubyte"


echo "gpu-bundle: compressing (xz)"
mkdir -p "$out"
rm -f "$out/payload.tar.xz"
# one xz block (-T1), -9e: 1 MB smaller than -T0's blocks of 192 MiB; the build's slowest step (about 7 minutes)
(cd "$stage" && tar --owner=0 --group=0 -cf - redtest) | xz -T1 -9e -c > "$out/payload.tar.xz"
sum="$(sha256sum "$out/payload.tar.xz" | cut -c1-16)"
sed "s/@PAYLOAD@/$sum/" "$repo/benchmarks/bundle/redtest" > "$out/redtest"
cp "$repo/benchmarks/bundle/gpu-smoke.sh" "$repo/benchmarks/bundle/README.txt" \
  "$repo/src/main/resources/org/redtest/bench/pytorch_peer.py" "$out/"
chmod +x "$out/redtest" "$out/gpu-smoke.sh"

size="$(du -sk "$out" | cut -f1)"
echo "gpu-bundle: $out is $((size / 1024)) MiB ($size KiB) on disk; unpacked $(du -sm "$root" | cut -f1) MiB"
if ((size > limit_mib * 1024)); then
  # bundle-check.sh fails on this; what takes the room: docs/maintainers.md, "GPU engine and bundle"
  echo "gpu-bundle: WARNING: over the ${limit_mib} MiB target (one call to a borrowed GPU node); scp or a shared file system take it as it is" >&2
fi
