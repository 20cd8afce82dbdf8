#!/usr/bin/env bash
# The committed generated code is what the generator writes from the spec today:
# regenerate into a temporary copy and compare (src/api, src/models, the `atlas` example's
# operation table, the conformance test's model table, the sandbox's tables, the features of Cargo.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
spec=../shared/atlas-openapi/v2.yaml
if [ ! -f "$spec" ]; then
  echo "skipped: no spec at $spec"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp Cargo.toml "$out/"
cargo run --quiet -p atlas-endpoints-codegen -- --spec "$spec" --out "$out"
status=0
for dir in src/api src/models; do
  diff -r "$dir" "$out/$dir" >/dev/null || { echo "differs from a fresh run: $dir"; diff -r "$dir" "$out/$dir" | head -20; status=1; }
done
for file in examples/atlas/operations.rs tests/full/tests/generated/models.rs sandbox/tables/operations.json sandbox/tables/schemas.json; do
  diff "$file" "$out/$file" >/dev/null || { echo "differs from a fresh run: $file"; status=1; }
done
diff Cargo.toml "$out/Cargo.toml" >/dev/null || { echo "differs from a fresh run: the features of Cargo.toml"; status=1; }
if [ $status -ne 0 ]; then
  echo "run: cargo run -p atlas-endpoints-codegen"
  exit 1
fi
echo "generated code: matches a fresh run of the generator"
