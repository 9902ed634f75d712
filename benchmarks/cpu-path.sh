#!/usr/bin/env bash
# Stock DL4J 1.0.0-M2.1 against the oneDNN helper path, side by side in one process.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bin/redtest bench cpu-path "$@"
