#!/usr/bin/env bash
# The Spark engine's figures for docs/cluster.md, measured in one run (org.redtest.bench.EngineBenchmark):
#   1. the same NATS candidates on the local engine (1 at a time x 2 ND4J threads) and on Spark local[2]
#      (2 at a time x 1 thread): candidates per hour side by side, and each engine's overhead per candidate;
#   2. the driver's database write rate for 15,625 synthetic outcomes;
#   3. one candidate's CPU cost at NATS-Bench scale (C=16, N=5, 12 epochs of CIFAR-10-sized data), projected.
# Options: --candidates 6 --warmup 2 --channels 8 --cells 1 --train-per-class 200 --epochs 3 --writes 15625
#          --scale-cells 3 --scale-batches 1. Needs: mvn -Pcpu,spark -DskipTests package; Fashion-MNIST.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d target/spark-lib ]]; then
  echo "spark-engine.sh: target/spark-lib not found; build with: mvn -q -Pcpu,spark -DskipTests package" >&2
  exit 1
fi
opens=$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' pom.xml)
exec java -Xmx${REDTEST_HEAP:-8g} $opens -cp "target/redtest.jar:target/spark-lib/*" org.redtest.bench.EngineBenchmark "$@"
