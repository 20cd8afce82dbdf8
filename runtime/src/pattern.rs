//! Patterns that path values must match before a request is sent.

use std::sync::OnceLock;

use regex::Regex;

/// A regular expression from the spec that a path value must match.
///
/// Declared as a `static` by the `#[atlas_endpoint]` attribute and compiled once, on first use.
///
/// ```
/// use atlas_endpoints_runtime::Pattern;
///
/// static HEX24: Pattern = Pattern::new("^([a-f0-9]{24})$");
/// assert!(HEX24.is_match("32b6e34b3d91647abb20e7b8"));
/// assert!(!HEX24.is_match("not-an-id"));
/// ```
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

/// The spec's pattern for object ids such as `groupId`, `orgId` and `snapshotId`.
pub static OBJECT_ID: Pattern = Pattern::new("^([a-f0-9]{24})$");

/// The spec's pattern for cluster and serverless instance names (`clusterName`, flex `name`).
pub static CLUSTER_NAME: Pattern = Pattern::new("^[a-zA-Z0-9][a-zA-Z0-9-]*$");

impl Pattern {
    /// A pattern from its regular expression; nothing is compiled until the first match.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The regular expression as written.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches. A pattern that does not compile matches nothing, so an invalid
    /// pattern can never let a value through (the attribute already refuses one at compile time).
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(self.source).ok())
            .as_ref()
            .is_some_and(|regex| regex.is_match(value))
    }
}

/// Patterns are equal when they are written the same.
impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pattern` matches each of `matching` and none of `refused`.
    fn assert_matches(pattern: &Pattern, matching: &[&str], refused: &[&str]) {
        for value in matching {
            assert!(pattern.is_match(value), "{pattern:?} refuses {value:?}");
        }
        for value in refused {
            assert!(!pattern.is_match(value), "{pattern:?} matches {value:?}");
        }
    }

    #[test]
    fn object_id_accepts_24_lowercase_hex_digits_only() {
        let refused = [
            "32B6E34B3D91647ABB20E7B8",
            "32b6e34b3d91647abb20e7b",
            "32b6e34b3d91647abb20e7b8\n",
        ];
        assert_matches(&OBJECT_ID, &["32b6e34b3d91647abb20e7b8"], &refused);
    }

    #[test]
    fn cluster_name_refuses_leading_dash_and_separators() {
        let refused = ["-leading", "a/b", "..", ""];
        assert_matches(&CLUSTER_NAME, &["my-instance-0"], &refused);
    }

    #[test]
    fn a_pattern_that_does_not_compile_matches_nothing() {
        static BROKEN: Pattern = Pattern::new("^([a-f$");
        assert!(!BROKEN.is_match("a"));
    }
}
