//! Every `pattern` of the official Atlas spec compiles with the runtime's own `regex`, so an
//! endpoint can take a pattern from the spec as it stands; the one exception, a look-around
//! that no `regex` build has, is named below and is never a path parameter's.
//!
//! The spec is read from `ATLAS_OPENAPI_SPEC`, or else `../shared/atlas-openapi/v2.yaml`
//! beside the repository; without it the test says so and passes (but a file that
//! `ATLAS_OPENAPI_SPEC` names must be there).
//!
//! The patterns are found by walking the whole document: the `schema` (and anything inside
//! it) of each path and query parameter, inline or under `components/parameters`, and every
//! other schema, component or inline, that has a `pattern`. Examples, defaults and enums are
//! data, not schemas, and are left out.
//!
//! The macro crate's tests compile this file too (`macros/src/pattern.rs`). There `regex` has
//! exactly the workspace's features, and every spec pattern also goes through the attribute's
//! compile-time check. In the runtime's own test build it cannot: `proptest`, a dev-dependency,
//! turns on every Unicode table of `regex-syntax`, so this build's `regex` compiles more than
//! a user's does (the test prints which Unicode features it sees).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use regex::Regex;
use saphyr::{LoadableYamlNode, Yaml};
use saphyr_parser::Parser;

#[path = "support/spec_file.rs"]
mod spec_file;

/// Spec patterns that no `regex` build compiles, whatever its features: they use
/// look-around, which the `regex` crate leaves out by design. None may be the pattern of a
/// path parameter (the only patterns the runtime checks); a query parameter or a body field
/// that ever gets checked must rewrite it. Each entry is checked to still be in the spec and
/// still be refused, so a newer spec or `regex` says when to delete it.
pub const LOOK_AROUND: &[&str] = &[
    // An IPv4 or IPv6 address; `(?!$)` after a dot keeps a trailing dot out. The query
    // parameter `ipAddress` of `/rateLimits` and of the database access history, and schema
    // properties such as `AccessListItemView.ipAddress` and the events' `remoteAddress`.
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
];

/// Each Unicode feature of `regex`, with a pattern that compiles only when it is on.
pub const UNICODE_PROBES: &[(&str, &str)] = &[
    ("unicode-age", r"\p{age:3.0}"),
    ("unicode-bool", r"\p{Alphabetic}"),
    ("unicode-case", "(?i)a"),
    ("unicode-gencat", r"\p{L}"),
    ("unicode-perl", r"\w"),
    ("unicode-script", r"\p{Greek}"),
    ("unicode-segment", r"\p{gcb=Extend}"),
];

/// The Unicode features this build's `regex` has, found by compiling the probes.
pub fn unicode_features() -> Vec<&'static str> {
    UNICODE_PROBES
        .iter()
        .filter(|(_, probe)| Regex::new(probe).is_ok())
        .map(|&(feature, _)| feature)
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Site {
    PathParameter,
    QueryParameter,
    /// A header or cookie parameter, or a schema: request and response bodies, components.
    Other,
}

/// One `pattern` and where the spec gives it.
pub struct Found {
    pub site: Site,
    /// Keys from the document root, for messages: `paths › /api/… › get › parameters › 2 › schema`.
    pub location: String,
    pub source: String,
}

#[test]
fn every_spec_pattern_compiles_with_the_runtime_regex() {
    println!(
        "Unicode features of this build's regex: {:?}",
        unicode_features()
    );
    let Some(found) = spec_patterns() else {
        return;
    };
    // Compile each distinct pattern once; remember every place it appears.
    let mut sites: BTreeMap<&str, Vec<&Found>> = BTreeMap::new();
    for f in found {
        sites.entry(&f.source).or_default().push(f);
    }
    let mut failures = Vec::new();
    for (source, at) in &sites {
        let exception = LOOK_AROUND.contains(source);
        let path_parameter = at.iter().any(|f| f.site == Site::PathParameter);
        match Regex::new(source) {
            Ok(_) if exception => failures.push(format!(
                "`{source}` now compiles; remove it from LOOK_AROUND"
            )),
            Ok(_) => {}
            Err(error) if exception && !path_parameter => {
                let message = error.to_string();
                assert!(message.contains("look-around"), "`{source}`: {message}");
            }
            Err(error) => failures.push(format!(
                "`{source}` does not compile ({}), used in {} places, first {:?} at {}",
                error.to_string().lines().last().unwrap_or_default(),
                at.len(),
                at[0].site,
                at[0].location,
            )),
        }
    }
    for source in LOOK_AROUND {
        if !sites.contains_key(source) {
            failures.push(format!(
                "`{source}` is no longer in the spec; remove it from LOOK_AROUND"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every `pattern` of the spec with where it is, or `None` (with a message) when the spec is
/// not there. Read once, for all the tests of one binary.
pub fn spec_patterns() -> Option<&'static [Found]> {
    static FOUND: OnceLock<Option<Vec<Found>>> = OnceLock::new();
    FOUND.get_or_init(read_patterns).as_deref()
}

fn read_patterns() -> Option<Vec<Found>> {
    let spec = spec_file::read_spec(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/atlas-openapi/v2.yaml"),
    )?;
    let started = Instant::now();
    // From a `&str` rather than `Yaml::load_from_str`'s `chars()`: a third faster.
    let docs = Yaml::load_from_parser(&mut Parser::new_from_str(&spec)).expect("the spec is YAML");
    let parsed = started.elapsed();
    let mut found = Vec::new();
    walk(&docs[0], Site::Other, &mut Vec::new(), &mut found);

    let count = |site| found.iter().filter(|f| f.site == site).count();
    let counts = [Site::PathParameter, Site::QueryParameter, Site::Other].map(count);
    let distinct = found
        .iter()
        .map(|f| &f.source)
        .collect::<BTreeSet<_>>()
        .len();
    println!(
        "{} patterns ({distinct} distinct): path parameters {}, query parameters {}, others {}; \
         YAML parsed in {parsed:.2?}, walked in {:.2?}",
        found.len(),
        counts[0],
        counts[1],
        counts[2],
        started.elapsed() - parsed,
    );
    // A walk that went wrong would pass on nothing: the spec gives hundreds of path
    // parameters an object-id or cluster-name pattern, and query parameters some too.
    assert!(
        counts[0] > 300 && counts[1] > 5 && counts[2] > 300,
        "{counts:?}"
    );
    Some(found)
}

/// Collects the `pattern` of `node` and of everything below it. `site` is where a pattern
/// found here is used: inside a parameter's `schema`, that parameter's place.
fn walk(node: &Yaml, site: Site, keys: &mut Vec<String>, found: &mut Vec<Found>) {
    match node {
        Yaml::Mapping(mapping) => {
            // A parameter object: `in` says where its schema's patterns apply.
            let parameter_site = match node.as_mapping_get("in").and_then(Yaml::as_str) {
                Some("path") => Some(Site::PathParameter),
                Some("query") => Some(Site::QueryParameter),
                Some(_) => Some(Site::Other),
                None => None,
            };
            // A property named `pattern` has a schema, not a string, as its value.
            if let Some(source) = node.as_mapping_get("pattern").and_then(Yaml::as_str) {
                found.push(Found {
                    site,
                    location: keys.join(" › "),
                    source: source.to_owned(),
                });
            }
            for (key, value) in mapping {
                let key = key.as_str().unwrap_or("?");
                if matches!(key, "example" | "examples" | "default" | "enum") {
                    continue;
                }
                let site = match parameter_site {
                    Some(parameter_site) if key == "schema" => parameter_site,
                    _ => site,
                };
                keys.push(key.to_owned());
                walk(value, site, keys, found);
                keys.pop();
            }
        }
        Yaml::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                keys.push(index.to_string());
                walk(item, site, keys, found);
                keys.pop();
            }
        }
        _ => {}
    }
}
