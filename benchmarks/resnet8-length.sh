#!/usr/bin/env bash
# ResNet-8's MSRS against its training length: the CPU tier's ResNet-8 (Fashion-MNIST, 4,000 images, batch 128,
# learning rate 0.05, x0.1 for the last third) trained 3, 6, 12 and 24 epochs, each a run of its own, then
# evaluated and measured as the tier measures (4 batches of 256 test images). The tier asks whether a shallow
# network shows no redundancy (MSRS below 1, the paper's underfitting ResNet-8); this shows how that figure moves
# with training. About 10 minutes on 2 cores. Usage: benchmarks/resnet8-length.sh [OUT_DIR] [EPOCHS...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-checkpoints/resnet8-length}"
shift || true
lengths=("$@")
[[ ${#lengths[@]} -gt 0 ]] || lengths=(3 6 12 24)
mkdir -p "$out"
for e in "${lengths[@]}"; do
  milestone=$(( (2 * e + 2) / 3 ))   # 3 -> 2 as in the tier, 6 -> 4, 12 -> 8, 24 -> 16
  cat > "$out/resnet8-e$e.yaml" <<YAML
name: resnet8-e$e
model: resnet8
seed: 42
data: {dataset: fashion-mnist, train_per_class: 400, test_limit: 1024}
training: {epochs: $e, batch_size: 128, learning_rate: 0.05, momentum: 0.9, weight_decay: 0.0005, lr_milestones: [$milestone]}
measure: {batches: 4, batch_size: 256}
stages: [train, evaluate, measure]
output_dir: $out
database: $out/redtest.db
YAML
  bin/redtest run --yes "$out/resnet8-e$e.yaml"   # --yes: the time estimate guards against hour-long runs, not this
done
echo
bin/redtest runs --db "$out/redtest.db"
echo
echo "adjacent CKA (unit -> next unit), per run:"
for e in "${lengths[@]}"; do
  printf '  %2s epochs: %s\n' "$e" "$(jq -r '[.adjacent[] | "\(.from)->\(.to) \(.cka * 1000 | round / 1000)"] | join(", ")' "$out/resnet8-e$e/measure-msrs.json")"
done
