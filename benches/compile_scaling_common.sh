#!/usr/bin/env bash
# What benches/compile_scaling.sh and benches/compile_scaling_api.sh share, sourced once
# `$work` is set: a target directory of their own under it, an emptied build log (`$log`),
# and the clock and arithmetic they time with.
export CARGO_TARGET_DIR=$work/target
export CARGO_TERM_COLOR=never
# Other builds on the machine must not reuse or disturb this target directory's artifacts.
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS CARGO_INCREMENTAL || true

mkdir -p "$work"
log=$work/build.log
: >"$log"

now() { date +%s.%N; }

# Arithmetic on decimals, without bc.
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

min() { printf '%s\n' "$@" | sort -g | head -n 1; }
