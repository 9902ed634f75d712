#!/usr/bin/env bash
# Issue 27's speed figure: msrs --onnx of torchvision's ResNet-18 (random weights, 3 x 224 x 224) on 10 batches of
# 64 images against ONNX Runtime's plain inference of the same model on the same images, side by side in three
# rounds (target: ratio <= 1.5). Needs Debian's python3-torch and python3-torchvision to export the model; the
# model (45 MB) and images (385 MB) go to a temporary directory that is removed afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 src/test/onnx/make_fixtures.py --out "$work/fixtures" --full "$work" > /dev/null
bin/redtest bench onnx-msrs --onnx "$work/resnet18-224.onnx" --inputs "$work/images-224.npy" --batches 10 --batch-size 64 "$@"
