#!/usr/bin/env bash
# Each tag feature builds alone (`cargo check` of the facade with only that feature).
# Usage: scripts/check_features.sh [FEATURE...]; with none, every tag feature (slow: ~58 checks).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  features=("$@")
else
  mapfile -t features < <(sed -n '/^# @generated tag features: begin/,/^# @generated tag features: end/p' Cargo.toml \
    | grep -E '^[a-z0-9-]+ = \[\]' | cut -d' ' -f1)
fi
for feature in "${features[@]}"; do
  echo "== --no-default-features --features $feature"
  cargo check --quiet -p atlas-endpoints --no-default-features --features "$feature"
done
echo "features: ${#features[@]} build alone"
