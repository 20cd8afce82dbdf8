#!/usr/bin/env bash
# The build cost of `#[atlas_endpoint]` on the real API: the facade as committed (540
# declarations through the attribute, src/api/) against the same facade with every
# declaration replaced by the attribute's exact expansion (the "hand" twin, written by
# macros/src/expand_files.rs through the function the attribute calls). BENCHMARKS.md §6.
#
#   bash benches/compile_scaling.sh --api        # the documented command; runs this script
#   REPEATS=2 bash benches/compile_scaling.sh --api   # each build timed twice, fastest kept
#   BREAKDOWN=0 ...                              # skip "where the full build's time goes"
#   SIZES=0 ...                                  # skip the `atlas` example's binary size
#   CHECK=0 ...                                  # skip building the hand variant for the
#                                                # catalog comparison (a re-run; says so)
#   SIZE_KINDS="macro hand" ...                  # its size for both variants (default: macro)
#   RELEASE=1 ...                                # also its release size (long: release deps)
#
# Everything goes under target/compile-scaling-api/ (or $COMPILE_SCALING_API_DIR): one
# throwaway copy of the facade per variant (Cargo.toml, Cargo.lock, src/, examples/,
# benches/; its own workspace whose runtime, macros and sandbox are this checkout's, by
# path) and one shared CARGO_TARGET_DIR, so dependencies are built once, before any timing.
# The copies are deleted at the end (KEEP=1 keeps them); the target directory is kept for a
# second run (it is several GB: delete it when done).
#
# Every copy is the root package of its own workspace, so cargo gives all of them the same
# artifact names and incremental directory (a path package is hashed relative to its
# workspace root): each timed build is therefore preceded by `cargo clean -p` and the removal
# of that incremental directory, and each incremental build follows its variant's own clean
# build directly.
#
# Checks before timing (untimed; they also build the dependencies): both variants build with
# `full` and print the same catalog (`{:?}` of every `Endpoint`, sorted, 540 lines).
#
# Timed, for each feature set (`full`, default, `--no-default-features --features clusters`)
# and each variant, back to back (macro then hand, so both see the same load):
#   clean        `cargo clean -p atlas-endpoints`, its incremental cache removed, then
#                `cargo build --lib` (debug)
#   incremental  `cargo build --lib` after one declaration changed: the operation id of the
#                first operation of src/api/clusters.rs (cloud_backups.rs for the default
#                features) made one character longer, in the declaration and in its twin
#   touched      `cargo build --lib` after `touch` of that file and no change: what rustc's
#                incremental machinery costs on this crate whatever the edit
# Breakdown, `full`, clean builds of other variants:
#   check        `cargo check --lib` of macro and hand: the front end alone (no codegen)
#   no api       the models only: every declaration dropped but the 50 of the default tags,
#                which compat.rs uses
#   stub serde   the macro variant with every `#[derive(serde::Serialize, serde::Deserialize)]`
#                of src/models/ replaced by a derive that writes an empty impl (`unimplemented!`)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${COMPILE_SCALING_API_DIR:-$root/target/compile-scaling-api}
repeats=${REPEATS:-1}
breakdown=${BREAKDOWN:-1}
sizes=${SIZES:-1}
release=${RELEASE:-0}
# shellcheck source=benches/compile_scaling_common.sh
. "$root/benches/compile_scaling_common.sh"
results=$work/results.txt
: >"$results"

say() { echo "$*" | tee -a "$results"; }
fail() {
  echo "compile_scaling_api.sh: $*" >&2
  tail -n 30 "$log" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------
# The variants.

# A copy of the facade as its own workspace: the same manifest, with no members and with the
# runtime, macros and sandbox taken from this checkout.
copy_facade() { # name
  local dir=$work/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$root/src" "$root/examples" "$root/benches" "$root/Cargo.lock" "$dir/"
  sed -e 's#^members = \[.*\]#members = []#' \
    -e "s#path = \"macros\"#path = \"$root/macros\"#" \
    -e "s#path = \"runtime\"#path = \"$root/runtime\"#" \
    -e "s#path = \"sandbox\"#path = \"$root/sandbox\"#" \
    "$root/Cargo.toml" >"$dir/Cargo.toml"
  grep -q '^members = \[\]' "$dir/Cargo.toml" || fail "could not rewrite the workspace of $dir"
  # The check program: every catalog entry, as `Debug` prints it, sorted.
  cat >"$dir/examples/catalog_debug.rs" <<'EOF'
//! Written by benches/compile_scaling_api.sh: the catalog as `{:?}`, one sorted line each.
fn main() {
    let mut lines: Vec<String> = atlas_endpoints::catalog()
        .into_iter()
        .map(|endpoint| format!("{endpoint:?}"))
        .collect();
    lines.sort();
    for line in lines {
        println!("{line}");
    }
}
EOF
}

# Runs the expander (macros/src/expand_files.rs) from $root/src/api into $1/src/api.
run_expander() { # dir [VAR=value...]
  local dir=$1
  shift
  rm -rf "$dir/src/api"
  (cd "$root" && env "$@" ATLAS_EXPAND_IN="$root/src/api" ATLAS_EXPAND_OUT="$dir/src/api" \
    cargo test -p atlas-endpoints-macros --lib -- --ignored --exact \
    expand_files::expand_api --nocapture >>"$log" 2>&1) || fail "the expander failed"
  grep 'expand_api:' "$log" | tail -n 1
}

# A derive crate whose `Serialize` and `Deserialize` write impls that do nothing.
stub_serde_crate() {
  local dir=$work/stub_serde
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<'EOF'
[package]
name = "stub_serde"
version = "0.0.0"
edition = "2021"
publish = false

[lib]
proc-macro = true
EOF
  cat >"$dir/src/lib.rs" <<'EOF'
//! Written by benches/compile_scaling_api.sh: serde's derives, minus the work.
use proc_macro::{TokenStream, TokenTree};

/// The name after `struct` or `enum` (the generated models have no generics).
fn name(input: TokenStream) -> String {
    let mut tokens = input.into_iter();
    while let Some(token) = tokens.next() {
        if let TokenTree::Ident(ident) = &token {
            let word = ident.to_string();
            if word == "struct" || word == "enum" {
                if let Some(TokenTree::Ident(name)) = tokens.next() {
                    return name.to_string();
                }
            }
        }
    }
    panic!("stub_serde: no struct or enum")
}

#[proc_macro_derive(Serialize, attributes(serde))]
pub fn serialize(input: TokenStream) -> TokenStream {
    format!(
        "impl ::serde::Serialize for {} {{ fn serialize<S: ::serde::Serializer>(&self, _: S) \
         -> ::core::result::Result<S::Ok, S::Error> {{ unimplemented!() }} }}",
        name(input)
    )
    .parse()
    .unwrap()
}

#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn deserialize(input: TokenStream) -> TokenStream {
    format!(
        "impl<'de> ::serde::Deserialize<'de> for {} {{ fn deserialize<D: ::serde::Deserializer<'de>>(_: D) \
         -> ::core::result::Result<Self, D::Error> {{ unimplemented!() }} }}",
        name(input)
    )
    .parse()
    .unwrap()
}
EOF
}

# ---------------------------------------------------------------------------------------
# Timing.

# "WALL CPU": the wall-clock seconds of one cargo command in directory $1 (the rest are its
# arguments) and the CPU seconds (user + system) of cargo and the rustc it waits for. On a
# shared machine CPU time moves much less than wall time with the other load. Fails loudly,
# and fails when the facade was not compiled (an edit cargo did not see).
timed() { # dir cargo-args...
  local dir=$1 out times status=0 wall user sys
  shift
  out=$work/last.log
  times=$work/last.time
  TIMEFORMAT='%R %U %S'
  { time (cd "$dir" && cargo "$@" >"$out" 2>&1); } 2>"$times" || status=$?
  cat "$out" >>"$log"
  [ "$status" = 0 ] || fail "cargo $* failed in $dir; see $log"
  read -r wall user sys <"$times"
  grep -Eq "(Compiling|Checking) atlas-endpoints v[^ ]* \\($dir\\)" "$out" ||
    fail "cargo $* in $dir did not compile that facade (an edit not seen?)"
  # Only the facade (and an example of it) may be compiled in a timed build.
  if grep -E '^ *(Compiling|Checking) ' "$out" | grep -vq ' atlas-endpoints v'; then
    fail "cargo $* in $dir compiled dependencies: they must be built before timing"
  fi
  echo "$wall $(calc "$user + $sys")"
}

# The fastest of runs written "WALL CPU|WALL CPU|...": field 1 wall, 2 CPU.
fastest() { # field runs
  printf '%s\n' "$2" | tr '|' '\n' | awk -v f="$1" 'NF { print $f }' | sort -g | head -n 1
}

clean_facade() { # dir
  (cd "$1" && cargo clean -p atlas-endpoints >>"$log" 2>&1) || fail "cargo clean failed in $1"
  # `cargo clean -p` keeps the crate's incremental cache; a clean build must not reuse it.
  rm -rf "$CARGO_TARGET_DIR"/debug/incremental/atlas_endpoints-*
}

# The edit: the operation id of the first declaration of a tag file, one character longer
# (`listClusterDetails` -> `listClusterDetailsX`), then back; in the macro variant the
# attribute's `operation_id = ".."`, in the hand variant the expansion's `.operation_id("..")`,
# each the only copy of that string in the file.
edit_declaration() { # dir file
  local file=$1/src/api/$2 id
  id=$(sed -n 's/^ *operation_id = "\([A-Za-z0-9]*\)",*$/\1/p' "$root/src/api/$2" | head -n 1)
  [ -n "$id" ] || fail "no operation_id in $root/src/api/$2"
  if [ "$(grep -c "\"${id}\"" "$file")" = 1 ]; then
    sed -i "s/\"${id}\"/\"${id}X\"/" "$file"
  elif [ "$(grep -c "\"${id}X\"" "$file")" = 1 ]; then
    sed -i "s/\"${id}X\"/\"${id}\"/" "$file"
  else
    fail "$file has not exactly one \"$id\" (or \"${id}X\")"
  fi
}

# ---------------------------------------------------------------------------------------

df_free() { df -h "$work" | awk 'NR == 2 {print $4}'; }

say "compile_scaling_api: the real API, $repeats timing(s) each, under $work"
say "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, $(rustc --version), load $(cut -d' ' -f1-3 /proc/loadavg), $(df_free) free"
say "started: $(date -u +%FT%TZ)"

copy_facade macro
copy_facade hand
summary=$(run_expander "$work/hand")
say "hand: $summary"
endpoints=$(grep -c '#\[atlas_endpoint(' "$root"/src/api/*.rs | awk -F: '{s += $2} END {print s}')
say "endpoints declared in src/api/: $endpoints; lines: macro $(cat "$work"/macro/src/api/*.rs | wc -l), hand $(cat "$work"/hand/src/api/*.rs | wc -l)"

echo "building the dependencies, and checking that both variants have the same catalog (untimed)..."
kinds_checked="macro hand"
if [ "${CHECK:-1}" = 0 ]; then kinds_checked="macro"; fi
for kind in $kinds_checked; do
  # The variants share artifact names (see above): without the clean, cargo would take the
  # other variant's build for this one's.
  clean_facade "$work/$kind"
  (cd "$work/$kind" && cargo build --example catalog_debug --features full >"$work/last.log" 2>&1) || {
    cat "$work/last.log" >>"$log"
    fail "the $kind variant does not build with full"
  }
  cat "$work/last.log" >>"$log"
  grep -q "Compiling atlas-endpoints v[^ ]* ($work/$kind)" "$work/last.log" ||
    fail "the $kind variant was not compiled for the check"
  "$CARGO_TARGET_DIR/debug/examples/catalog_debug" >"$work/catalog.$kind.txt"
done
entries=$(wc -l <"$work/catalog.macro.txt")
[ "$entries" -ge "$endpoints" ] || fail "the catalog has $entries entries, fewer than $endpoints"
if [ "${CHECK:-1}" = 0 ]; then
  say "check: SKIPPED (CHECK=0): the hand variant's catalog was not compared"
else
  cmp -s "$work/catalog.macro.txt" "$work/catalog.hand.txt" ||
    fail "the two catalogs differ: diff $work/catalog.macro.txt $work/catalog.hand.txt"
  say "check: both variants build with full and list the same $entries catalog entries"
fi
# `--lib` alone resolves the dependencies' features without the dev-dependencies (hyper,
# h2, toml... get other features): build them for it too. The tag features add no
# dependency, so one feature set serves every configuration.
(cd "$work/macro" && cargo build --lib >>"$log" 2>&1) || fail "cargo build --lib failed"
say "free disk after the check builds: $(df_free)"

declare -A clean incremental touched
configs=(full default clusters)
declare -A args=(
  [full]="--features full"
  [default]=""
  [clusters]="--no-default-features --features clusters"
)
declare -A edited=([full]=clusters.rs [default]=cloud_backups.rs [clusters]=clusters.rs)
for config in "${configs[@]}"; do
  for kind in macro hand; do
    clean[$kind,$config]="" incremental[$kind,$config]="" touched[$kind,$config]=""
  done
  for ((r = 0; r < repeats; r++)); do
    for kind in macro hand; do
      dir=$work/$kind
      # shellcheck disable=SC2086 # the feature arguments are words
      {
        clean_facade "$dir"
        c=$(timed "$dir" build --lib ${args[$config]})
        edit_declaration "$dir" "${edited[$config]}"
        i=$(timed "$dir" build --lib ${args[$config]})
        touch "$dir/src/api/${edited[$config]}"
        u=$(timed "$dir" build --lib ${args[$config]})
      }
      clean[$kind,$config]+="$c|"
      incremental[$kind,$config]+="$i|"
      touched[$kind,$config]+="$u|"
      printf '  %-8s %-5s clean %7.2f s (CPU %7.2f)   incremental %6.2f s (CPU %6.2f)   touched %6.2f s (CPU %6.2f)\n' \
        "$config" "$kind" $c $i $u | tee -a "$results"
    done
  done
done

say ""
say "compile_scaling_api: debug builds of the facade alone (dependencies built), fastest of $repeats; ratio = macro / hand"
for field in 1 2; do
  if [ "$field" = 1 ]; then say "wall-clock seconds:"; else say "CPU seconds (user + system):"; fi
  say "$(printf '%-44s | %9s | %7s | %7s | %6s | %7s | %7s | %6s | %7s | %7s | %9s' \
    'features' endpoints 'clean M' 'clean H' ratio 'incr. M' 'incr. H' ratio 'touch M' 'touch H' 'extra ms')"
  for config in "${configs[@]}"; do
    case $config in
      full) n=$endpoints label='full' ;;
      default) n=$(cat "$root"/src/api/{cloud_backups,flex_restore_jobs,flex_snapshots}.rs | grep -c '#\[atlas_endpoint(') label='default (cloud-backups, flex-*)' ;;
      clusters) n=$(grep -c '#\[atlas_endpoint(' "$root/src/api/clusters.rs") label='--no-default-features --features clusters' ;;
    esac
    mc=$(fastest $field "${clean[macro,$config]}") hc=$(fastest $field "${clean[hand,$config]}")
    mi=$(fastest $field "${incremental[macro,$config]}") hi=$(fastest $field "${incremental[hand,$config]}")
    mu=$(fastest $field "${touched[macro,$config]}") hu=$(fastest $field "${touched[hand,$config]}")
    say "$(printf '%-44s | %9s | %7.2f | %7.2f | %6.2f | %7.2f | %7.2f | %6.2f | %7.2f | %7.2f | %9.2f' \
      "$label" "$n" "$mc" "$hc" "$(calc "$mc / $hc")" "$mi" "$hi" "$(calc "$mi / $hi")" \
      "$mu" "$hu" "$(calc "1000 * ($mc - $hc) / $n")")"
  done
done
say "extra ms: (clean macro - clean hand) / endpoints, what the attribute costs per endpoint"
say "every run is listed above, in order; M = macro, H = hand"

if [ "$sizes" = 1 ]; then
  say ""
  for kind in ${SIZE_KINDS:-macro}; do
    clean_facade "$work/$kind"
    t=$(timed "$work/$kind" build --example atlas --features full)
    size=$(stat -c %s "$CARGO_TARGET_DIR/debug/examples/atlas")
    say "$(printf 'atlas example, debug, %-5s: %6.1f MB (%d bytes), built in %.1f s, CPU %.1f s (clean facade with full, then the example)' \
      "$kind" "$(calc "$size / 1000000")" "$size" $t)"
  done
  if [ "$release" = 1 ]; then
    t=$(timed "$work/macro" build --release --example atlas --features full)
    size=$(stat -c %s "$CARGO_TARGET_DIR/release/examples/atlas")
    say "$(printf 'atlas example, release, macro: %6.1f MB (%d bytes), built in %.1f s, CPU %.1f s (dependencies included)' \
      "$(calc "$size / 1000000")" "$size" $t)"
  fi
fi

if [ "$breakdown" = 1 ]; then
  say ""
  say "where the full build's time goes (clean, --features full, one run each):"
  # The dependencies' metadata for `cargo check` (untimed).
  (cd "$work/macro" && cargo check --lib >>"$log" 2>&1) || fail "cargo check --lib failed"
  for kind in macro hand; do
    clean_facade "$work/$kind"
    t=$(timed "$work/$kind" check --lib --features full)
    say "$(printf '  cargo check (front end only), %-5s          %7.2f s, CPU %7.2f s' "$kind" $t)"
  done
  copy_facade noapi
  summary=$(run_expander "$work/noapi" ATLAS_EXPAND_DROP=1 \
    ATLAS_EXPAND_KEEP=cloud_backups.rs,flex_restore_jobs.rs,flex_snapshots.rs)
  say "  noapi: $summary"
  clean_facade "$work/noapi"
  t=$(timed "$work/noapi" build --lib --features full)
  say "$(printf '  models only (50 declarations kept)          %7.2f s, CPU %7.2f s' $t)"
  copy_facade stubserde
  stub_serde_crate
  sed -i 's#^\[dependencies\]#[dependencies]\nstub_serde = { path = "../stub_serde" }#' "$work/stubserde/Cargo.toml"
  sed -i -E '/^#\[derive\(/ s/serde::(Serialize|Deserialize)/stub_serde::\1/g' "$work"/stubserde/src/models/*.rs
  stubbed=$(grep -c 'stub_serde::' "$work"/stubserde/src/models/*.rs | awk -F: '{s += $2} END {print s}')
  left=$(grep -cE '^#\[derive\(.*[( ]serde::' "$work"/stubserde/src/models/*.rs | awk -F: '{s += $2} END {print s}' || true)
  # stub_serde itself, untimed.
  (cd "$work/stubserde" && cargo build --lib >>"$log" 2>&1) || fail "the stub_serde variant does not build"
  clean_facade "$work/stubserde"
  t=$(timed "$work/stubserde" build --lib --features full)
  say "$(printf '  serde derives stubbed (%s derives; %s left) %7.2f s, CPU %7.2f s' "$stubbed" "$left" $t)"
  touch "$work/stubserde/src/api/clusters.rs"
  t=$(timed "$work/stubserde" build --lib --features full)
  say "$(printf '  the same, touched (incremental, no change)  %7.2f s, CPU %7.2f s' $t)"
fi

say ""
say "finished: $(date -u +%FT%TZ), $(df_free) free"
if [ "${KEEP:-0}" != 1 ]; then
  rm -rf "$work/macro" "$work/hand" "$work/noapi" "$work/stubserde" "$work/stub_serde"
fi
echo "results in $results; the build log in $log; delete $CARGO_TARGET_DIR when done"
