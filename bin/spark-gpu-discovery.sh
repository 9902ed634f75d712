#!/usr/bin/env bash
# Spark's GPU discovery script for executors (spark.executor.resource.gpu.discoveryScript, docs/cluster.md):
# prints this machine's GPU indices as the JSON resource Spark expects, e.g. {"name": "gpu", "addresses": ["0","1"]}.
set -euo pipefail
ids=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, -)
printf '{"name": "gpu", "addresses": [%s]}\n' "$ids"
