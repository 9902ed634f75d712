#!/usr/bin/env bash
# Does the CPU tier's pruning verdict change with longer fine-tuning? Re-runs the tier's pruning part
# (ResNet-56 keep 13, VGG-19 keep 8; CKA-guided, random and linear-probe; seeds 42-44) with EPOCHS
# fine-tuning epochs instead of 2, starting from the models a finished `bench paper --tier cpu` trained
# (copied from checkpoints/paper-cpu, so nothing is trained again). Everything else is the tier's: data,
# recipe, learning rate 0.01, probe images, measurement. Writes checkpoints/paper-cpu-ft<EPOCHS>/paper.md.
# Run it alone, after the tier (about 40 minutes here at 6 epochs).
# Usage: benchmarks/pruning-length.sh [EPOCHS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
epochs="${1:-6}"
name="paper-cpu-ft$epochs"
tier=checkpoints/paper-cpu
for m in resnet56 vgg19; do
  if [[ ! -f "$tier/$m/model.zip" ]]; then
    echo "pruning-length: $tier/$m/model.zip not found: run bin/redtest bench paper --tier cpu first" >&2
    exit 1
  fi
done
suite="checkpoints/$name.yaml"
mkdir -p "checkpoints/$name"
# the tier's file with its own name, only the two pruned models, no NAS or performance part, longer fine-tuning
sed -e "s/^name: paper-cpu$/name: $name/" \
    -e "s/^depth: .*/depth: [resnet56, vgg19]/" \
    -e "s/^  finetune_epochs: 2$/  finetune_epochs: $epochs/" \
    -e '/^nas/d' -e '/^performance:/,$d' benchmarks/paper-cpu.yaml > "$suite"
grep -q "finetune_epochs: $epochs" "$suite" || { echo "pruning-length: could not set finetune_epochs in $suite" >&2; exit 1; }
# the models come from the tier's build: the suite refuses to mix them with another build's results
[[ -f "checkpoints/$name/build.txt" ]] || cp "$tier/build.txt" "checkpoints/$name/"
for m in resnet56 vgg19; do
  if [[ ! -f "checkpoints/$name/$m/model.zip" ]]; then
    mkdir -p "checkpoints/$name/$m"
    cp "$tier/$m/model.zip" "$tier/$m/run.json" "$tier/$m/epochs.json" "checkpoints/$name/$m/"
  fi
done
bin/redtest bench paper --tier cpu --suite "$suite"
