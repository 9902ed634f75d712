#!/usr/bin/env bash
# The three measurement benchmarks of issue 3, each printing figures measured in one run:
#   1. the all-pairs CKA engine against the per-pair method (55 IRs of ResNet-110 widths, n = 256);
#   2. MSRS measurement time over plain inference time for ResNet-56 (10 batches of 256);
#   3. peak process memory during MSRS of ResNet-1202 at batch 256, in a JVM with a 1 GiB heap.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin/redtest bench cka-engine
bin/redtest bench msrs-overhead --model resnet56
REDTEST_HEAP=1g bin/redtest bench msrs-memory --model resnet1202 --batches 2
