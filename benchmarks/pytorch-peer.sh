#!/usr/bin/env bash
# Our DL4J training/inference rates beside PyTorch's (Debian's python3-torch) and ONNX Runtime's inference of the
# same model exported from PyTorch, on ResNet-20 and ResNet-56, alternating in one run. Run it alone: other work on the machine skews both sides.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bin/redtest bench pytorch-peer "$@"
