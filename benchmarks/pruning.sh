#!/usr/bin/env bash
# Twenty prune-and-rebuild rounds of ResNet-56 in one process; prints the process memory after each.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REDTEST_HEAP=2g exec bin/redtest bench prune-memory --model resnet56 --rounds 20 "$@"
