//! Reading the official Atlas spec, for the tests that hold code against it: this file's
//! `spec_patterns.rs` (also compiled by the macro crate's tests) and the conformance tests of
//! `tests/full`, which include it by path.

use std::path::PathBuf;

/// The spec's text, from `ATLAS_OPENAPI_SPEC` or else from `default`; `None` (said on
/// standard output) when there is none at `default`. A file that `ATLAS_OPENAPI_SPEC` names
/// must be there.
pub fn read_spec(default: PathBuf) -> Option<String> {
    let configured = std::env::var_os("ATLAS_OPENAPI_SPEC");
    let path = configured.clone().map_or(default, PathBuf::from);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) if configured.is_some() => {
            panic!("ATLAS_OPENAPI_SPEC={}: {error}", path.display())
        }
        Err(error) => {
            println!(
                "skipped: no Atlas spec at {} ({error}); set ATLAS_OPENAPI_SPEC to its path",
                path.display()
            );
            None
        }
    }
}
