#!/usr/bin/env bash
# Does the training loop of `run` keep up with the bare training step? A quickstart-sized training (resnet20,
# 6,000 Fashion-MNIST images, batch 128, 4 epochs, nothing else) logs its img/s per epoch (its training
# pass, without the evaluation after it); `bench cpu-path` then times the same model and batch on random
# 1x32x32 data (Fashion-MNIST as we pad it) right after, in a process of its own. Prints each epoch's rate,
# their spread and each epoch's rate over the bare step's. Run it alone (about 5 minutes).
# Usage: benchmarks/train-rate.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-checkpoints/train-rate}"
rm -rf "$out/train-rate" "$out/redtest.db"
mkdir -p "$out"
cat > "$out/train-rate.yaml" <<YAML
name: train-rate
model: resnet20
seed: 42
data: {dataset: fashion-mnist, train_per_class: 600, test_limit: 2560}
training: {epochs: 4, batch_size: 128, learning_rate: 0.05, momentum: 0.9, weight_decay: 0.0005, lr_milestones: [3]}
stages: [train]
output_dir: $out
database: $out/redtest.db
YAML
bin/redtest run "$out/train-rate.yaml"
bin/redtest bench cpu-path --model resnet20 --channels 1 --batch-size 128 --batches 12 --ours-only --json "$out/cpu-path.json"
bare=$(jq '.ours.trainImgPerS' "$out/cpu-path.json")
echo
echo "bare training step (bench cpu-path, random 1x32x32 batches of 128): $(printf '%.1f' "$bare") img/s"
jq -r --argjson bare "$bare" '
  (map(.imagesPerSecond)) as $r
  | (.[] | "epoch \(.epoch): \(.imagesPerSecond * 10 | round / 10) img/s, \(.imagesPerSecond / $bare * 1000 | round / 10)% of the bare step"),
    "spread of the epochs: slowest \((($r | min) / ($r | max)) * 1000 | round / 10)% of the fastest"
' "$out/train-rate/epochs.json"
