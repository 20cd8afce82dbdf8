//! The compile-time check of `#[path(pattern = "...")]` regular expressions.
//!
//! The runtime compiles each pattern with the `regex` crate on first use, and a pattern that
//! does not compile there matches nothing, so every call of the endpoint would be refused.
//! This module runs the same parser, `regex-syntax`, with the settings `regex::Regex::new`
//! uses and the same Unicode features as the runtime's `regex` (the workspace `Cargo.toml`
//! lists both), so a pattern passes here exactly when the runtime can parse it.
//!
//! What this does not check is the size of the compiled program: `regex` refuses a pattern
//! whose automaton would pass 10 MiB (`\w{1000}` with Unicode classes, say). No spec pattern
//! comes near that limit.

use regex_syntax::ParserBuilder;

/// Checks `pattern` as `regex::Regex::new` would parse it; the error says what is wrong and
/// where, in rustc style.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    match parser().build().parse(pattern) {
        Ok(_) => Ok(()),
        Err(error) => Err(describe(pattern, &error)),
    }
}

/// A parser set as `regex::RegexBuilder::new` sets its own (`regex_automata`'s
/// `util::syntax::Config::new()`, with `utf8` on since the runtime matches `&str`). Each
/// setting is spelled out, so a change of default upstream cannot go unnoticed here.
fn parser() -> ParserBuilder {
    let mut builder = ParserBuilder::new();
    builder
        .unicode(true)
        .utf8(true)
        .case_insensitive(false)
        .multi_line(false)
        .dot_matches_new_line(false)
        .crlf(false)
        .line_terminator(b'\n')
        .swap_greed(false)
        .ignore_whitespace(false)
        .octal(false)
        .nest_limit(250);
    builder
}

/// `regex-syntax`'s own description of the problem, where it is in the pattern, and for the
/// common mistakes what to write instead. The parser's multi-line `Display` is left aside: it
/// repeats the pattern, which the error is already spanned on.
fn describe(pattern: &str, error: &regex_syntax::Error) -> String {
    let (kind, span, first, hint) = match error {
        regex_syntax::Error::Parse(error) => (
            error.kind().to_string(),
            *error.span(),
            error.auxiliary_span().copied(),
            parse_hint(error.kind()),
        ),
        regex_syntax::Error::Translate(error) => (
            error.kind().to_string(),
            *error.span(),
            None,
            translate_hint(error.kind()),
        ),
        // `regex_syntax::Error` is non-exhaustive.
        other => return other.to_string(),
    };
    // `regex-syntax` tells its own users which crate feature to enable; the user of the
    // attribute controls no feature of the runtime, so the hint below says what to write.
    let kind = match kind.split_once(" (make sure the ") {
        Some((kind, _)) => kind.to_owned(),
        None => kind,
    };
    let mut message = format!("{kind}, {}", location(pattern, span));
    if let Some(first) = first {
        message.push_str(&format!("; first {}", location(pattern, first)));
    }
    if let Some(hint) = hint {
        message.push_str("; ");
        message.push_str(hint);
    }
    message
}

fn parse_hint(kind: &regex_syntax::ast::ErrorKind) -> Option<&'static str> {
    use regex_syntax::ast::ErrorKind;
    Some(match kind {
        ErrorKind::GroupUnclosed => "close it with `)`, or escape it as `\\(`",
        ErrorKind::GroupUnopened => "escape it as `\\)` to match it literally",
        ErrorKind::ClassUnclosed => "close it with `]`, or escape it as `\\[`",
        ErrorKind::ClassRangeInvalid => "write the smaller character first",
        ErrorKind::RepetitionMissing => "escape the operator to match it literally, as in `\\*`",
        ErrorKind::UnsupportedLookAround => {
            "the runtime's `regex` has no look-around; rewrite the pattern without it"
        }
        ErrorKind::UnsupportedBackreference => {
            "the runtime's `regex` has no backreferences; rewrite the pattern without them"
        }
        _ => return None,
    })
}

/// The translation step fails where the runtime's `regex` is built without the tables a
/// pattern needs.
fn translate_hint(kind: &regex_syntax::hir::ErrorKind) -> Option<&'static str> {
    use regex_syntax::hir::ErrorKind;
    Some(match kind {
        ErrorKind::UnicodeCaseUnavailable => {
            "the runtime's `regex` has no Unicode case tables: write `(?i-u)` for ASCII case \
             folding, or both cases, as in `[a-zA-Z]`"
        }
        ErrorKind::UnicodePropertyNotFound | ErrorKind::UnicodePropertyValueNotFound => {
            "the runtime's `regex` knows the general categories, such as `\\p{L}` and \
             `\\p{Nd}`, but no scripts or other properties"
        }
        _ => return None,
    })
}

/// `at `(` (character 2)`, or `at the end` for an error found past the last character.
fn location(pattern: &str, span: regex_syntax::ast::Span) -> String {
    let (start, end) = (span.start.offset, span.end.offset);
    let character = pattern
        .get(..start)
        .map_or(0, |before| before.chars().count())
        + 1;
    match pattern.get(start..end) {
        _ if start >= pattern.len() => "at the end".to_owned(),
        Some(fragment) if !fragment.is_empty() => {
            format!("at `{fragment}` (character {character})")
        }
        _ => format!("at character {character}"),
    }
}

/// The runtime's test of every pattern of the Atlas spec, which runs here too: in this crate's
/// tests `regex` has exactly the workspace's features (in the runtime's, `proptest` adds
/// more), and the tests below put each spec pattern through [`check`] as well.
#[cfg(test)]
#[path = "../../runtime/tests/spec_patterns.rs"]
mod spec_patterns;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::check;
    use super::spec_patterns::{self, LOOK_AROUND, UNICODE_PROBES};

    fn error(pattern: &str) -> String {
        match check(pattern) {
            Ok(()) => panic!("`{pattern}` should be refused"),
            Err(message) => message,
        }
    }

    /// Patterns the Atlas spec gives its path and query parameters and schema properties,
    /// one of each shape (`runtime/tests/spec_patterns.rs` compiles all of them with the
    /// runtime's `regex`).
    #[test]
    fn accepts_the_spec_patterns() {
        for pattern in [
            "^([a-f0-9]{24})$",
            "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            r"^mdb_sa_id_[a-fA-F\d]{24}$",
            r"([\d]+\.[\d]+\.[\d]+)",
            r"^([-\w._()])+$",
            r"^[\p{L}\p{N}\-_.,' ]*$",
            r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$",
            r"^([0-9]{1,3}\.){3}[0-9]{1,3}|([0-9a-f]{1,4}\:){7}([0-9a-f]{1,4})$",
            r"^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}\/resource[gG]roups\/([-\w._()]+)$",
            r"^(?:(?<cn>CN=(?<name>[^,]*)),)?(?<domain>(?:DC=[^,]+,?)+)$",
            r"/exported_snapshots/\{ORG-NAME\}/\{TIMESTAMP\}",
            "[a-z]([-a-z0-9]{0,62}[a-z0-9]{0,1})?",
            r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[a-z]+$",
            "1199145600",
        ] {
            assert_eq!(check(pattern), Ok(()), "{pattern}");
        }
    }

    /// What the old hand-written grammar got wrong, one way or the other.
    #[test]
    fn agrees_with_the_runtime_where_the_old_grammar_did_not() {
        // `regex` accepts these, the old grammar refused them.
        assert_eq!(check(r"\b{start}\w+\b{end}"), Ok(()));
        assert_eq!(check(r"[\d&&[^0]]"), Ok(()));
        assert_eq!(check(""), Ok(()));
        // The old grammar accepted these, the runtime's `regex` refuses them.
        assert!(error("^(?i)[a-z]+$").contains("`(?i-u)`"));
        assert_eq!(check("^(?i-u)[a-z]+$"), Ok(()));
        assert!(error(r"^\p{Greek}+$").contains("general categories"));
    }

    #[test]
    fn says_what_and_where() {
        assert_eq!(
            error("^[z-a]+$"),
            "invalid character class range, the start must be <= the end, at `z-a` (character 3); \
             write the smaller character first"
        );
        assert_eq!(
            error("^([a-z]+$"),
            r"unclosed group, at `(` (character 2); close it with `)`, or escape it as `\(`"
        );
        assert!(error("a)").starts_with("unopened group, at `)` (character 2); "));
        assert!(error("é(").contains("at `(` (character 2)"));
        assert!(error("a\\").ends_with("at `\\` (character 2)"));
        assert_eq!(
            error("(?i"),
            "expected flag but got end of regex, at the end"
        );
        assert_eq!(
            error("(?<n>a)(?<n>b)"),
            "duplicate capture group name, at `n` (character 11); first at `n` (character 4)"
        );
    }

    #[test]
    fn refuses_what_regex_refuses() {
        assert!(error("[a-z").contains("unclosed character class"));
        assert!(error(r"\q").contains("unrecognized escape sequence"));
        assert!(error(r"(a)\1").contains("backreferences are not supported"));
        assert!(error("(?=a)").contains("look-around"));
        assert!(error("*a").contains("repetition operator missing expression"));
        assert!(error("a{3,2}").contains("invalid repetition count range"));
        assert!(error("(?q)").contains("unrecognized flag"));
        assert!(error("[[:alfa:]").contains("unclosed character class"));
        assert!(error("(?-u:\\xFF)").contains("invalid UTF-8"));
    }

    /// Whatever the pattern, this check and the runtime's `regex::Regex::new` agree. (Both
    /// see the same Unicode features here, since a test build unifies them; that the
    /// workspace lists the same ones for both is checked by `same_unicode_features`.)
    #[test]
    fn agrees_with_regex() {
        let nested = |depth: usize| format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
        let mut patterns: Vec<String> = [
            r"\b{start}\w+\b{end}",
            r"\B\b{start-half}",
            r"^\d{3}-\s*\w$",
            r"\p{L}\p{Nd}\P{Lu}\pN",
            r"\p{Greek}",
            r"\p{Emoji}",
            "(?i)a",
            "(?i-u)a",
            "(?u)a",
            "(?-u)a",
            "(?-u:\\xFF)",
            "(?s).",
            "(?x) a b # comment",
            r"\0",
            r"\101",
            r"\x{110000}",
            r"\Q",
            r"\<word\>",
            "(?P<n>a)(?P<n>b)",
            "(?<n>a)",
            "[[:word:]]",
            "[a-z&&[^aeiou]]",
            "[a--z]",
            "[a~~b]",
            "a{,3}",
            "a{1000}",
            "a{1001}",
            "x{2}{3}",
            "",
            "a|",
            "()",
            "[]a]",
            "}",
            r"\/\:\{\}",
            r"\%",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        patterns.extend([nested(249), nested(250), nested(251)]);
        for pattern in &patterns {
            let runtime = regex::Regex::new(pattern)
                .map(drop)
                .map_err(|e| e.to_string());
            assert_eq!(
                check(pattern).is_ok(),
                runtime.is_ok(),
                "`{pattern}`: macro {:?}, regex {runtime:?}",
                check(pattern),
            );
        }
    }

    /// Every distinct pattern of the Atlas spec: the attribute accepts it exactly when the
    /// runtime's `regex` compiles it, which is all of them but the look-around ones.
    #[test]
    fn agrees_with_regex_on_every_spec_pattern() {
        let Some(found) = spec_patterns::spec_patterns() else {
            return;
        };
        let distinct: BTreeSet<&str> = found.iter().map(|f| f.source.as_str()).collect();
        for source in distinct {
            let runtime = regex::Regex::new(source).is_ok();
            assert_eq!(
                check(source).is_ok(),
                runtime,
                "`{source}`: {:?}",
                check(source)
            );
            assert_eq!(runtime, !LOOK_AROUND.contains(&source), "`{source}`");
        }
    }

    /// The workspace gives `regex` (the runtime) and `regex-syntax` (this crate) the same
    /// Unicode features, and this test build has just those: the other tests here, and the
    /// spec test above, see the features a user's build has. A proc-macro's dependencies are
    /// resolved apart from the runtime's, so a feature on one side only would make the check
    /// refuse patterns the runtime compiles, or accept ones it cannot.
    #[test]
    fn same_unicode_features() {
        let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
        let manifest = std::fs::read_to_string(manifest).expect("the workspace Cargo.toml");
        let unicode_features = |name: &str| -> Vec<String> {
            let line = manifest
                .lines()
                .find(|line| line.starts_with(&format!("{name} = {{")))
                .unwrap_or_else(|| panic!("no `{name} = {{ ... }}` in the workspace Cargo.toml"));
            let mut features: Vec<String> = line
                .split('"')
                .filter(|word| word.starts_with("unicode"))
                .map(str::to_owned)
                .collect();
            features.sort();
            features
        };
        let runtime = unicode_features("regex");
        assert!(runtime.contains(&"unicode-perl".to_owned()), "{runtime:?}");
        assert_eq!(unicode_features("regex-syntax"), runtime);
        assert_eq!(
            spec_patterns::unicode_features(),
            runtime,
            "this build's `regex`"
        );
        for (feature, probe) in UNICODE_PROBES {
            let declared = runtime.iter().any(|f| f == feature);
            assert_eq!(check(probe).is_ok(), declared, "`{probe}` for {feature}");
        }
    }
}
