//! Prints every endpoint the facade declares, one JSON object per line, in the spec's terms.
//!
//! ```text
//! cargo run --example catalog
//! cargo run --example catalog | python3 scripts/check_catalog.py --catalog -   # compare with the spec
//! ```
//!
//! Each line has `operationId`, `method`, `path` (in full, as the spec writes it), `version`,
//! `params` (every parameter, `envelope`, `pretty` and paging included, each with `name`,
//! `in` (`path`, `query` or `header`) and the `pattern` of a path parameter, or `null`),
//! `paginated`, `deprecated` (the note, or `null`), `sunset` (`YYYY-MM-DD`, or `null`),
//! `format` (`json`, `gzip` or `csv`), `envelopeDefault` (whether the spec's `envelope`
//! defaults to true) and `unauthenticated` (no credentials are sent, the spec's
//! `security: []`). Lines are sorted by path, then method, so the output is stable.

use std::io::{self, Write};

use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Line {
    operation_id: Option<&'static str>,
    method: &'static str,
    path: String,
    version: &'static str,
    params: Vec<Param>,
    paginated: bool,
    deprecated: Option<&'static str>,
    // Answers and lifecycle (issue 10, shapes 5, 9 and 14).
    sunset: Option<&'static str>,
    format: &'static str,
    envelope_default: bool,
    /// The operation takes no credentials (the spec's `security: []`).
    unauthenticated: bool,
}

#[derive(Serialize)]
struct Param {
    name: &'static str,
    #[serde(rename = "in")]
    location: &'static str,
    pattern: Option<&'static str>,
}

fn main() -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for endpoint in atlas_endpoints::catalog() {
        let line = Line {
            operation_id: endpoint.operation_id(),
            method: endpoint.method().as_str(),
            path: endpoint.spec_path(),
            version: endpoint.version(),
            params: endpoint
                .spec_params()
                .into_iter()
                .map(|param| Param {
                    name: param.name,
                    location: param.location.as_str(),
                    pattern: param.pattern,
                })
                .collect(),
            paginated: endpoint.is_paginated(),
            deprecated: endpoint.deprecated(),
            sunset: endpoint.sunset(),
            format: endpoint.format(),
            envelope_default: endpoint.envelope_default(),
            unauthenticated: endpoint.is_unauthenticated(),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
