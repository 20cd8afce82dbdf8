//! The spec's `pattern`s: compiled once, and sampled (the shortest plain string that
//! matches) when the engine has to make a value up.
//!
//! A few patterns of the spec cannot be used as they are written: some use look-around,
//! which the `regex` crate does not have, and some escape their backslashes twice
//! (`\\d`), so that no sensible value matches. The engine does not check values against
//! those ([`usable`] says which); its samples of them hold to the spec as written.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};

/// The compiled pattern, or `None` when the spec's pattern is not usable.
pub(crate) fn usable(pattern: &str) -> Option<Arc<Regex>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Arc<Regex>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    cache
        .entry(pattern.to_owned())
        .or_insert_with(|| {
            if pattern.contains(r"\\") {
                return None;
            }
            Regex::new(pattern).ok().map(Arc::new)
        })
        .clone()
}

/// Samples of the spec's patterns that use look-around, which neither `regex` nor its
/// parser reads.
const LOOK_AROUND_SAMPLES: &[(&str, &str)] = &[(
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
    "10.0.0.1",
)];

/// A short string of at least `min_chars` characters that matches `pattern` as the spec
/// writes it (twice-escaped backslashes included, so that an answer holds to the spec),
/// if one is found: the shortest one first, then one that repeats each repetition at least
/// once.
pub(crate) fn sample(pattern: &str, min_chars: usize) -> Option<String> {
    if let Some((_, sample)) = LOOK_AROUND_SAMPLES.iter().find(|(p, _)| *p == pattern) {
        return Some((*sample).to_owned());
    }
    let regex = Regex::new(pattern).ok()?;
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    [0, 1].into_iter().find_map(|at_least| {
        let mut out = String::new();
        write(&hir, at_least, &mut out);
        (out.chars().count() >= min_chars && regex.is_match(&out)).then_some(out)
    })
}

fn write(hir: &Hir, at_least: u32, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(class) => out.push(pick(class)),
        HirKind::Repetition(repetition) => {
            let max = repetition.max.unwrap_or(u32::MAX);
            let count = repetition.min.max(at_least).min(max).min(64);
            for _ in 0..count {
                write(&repetition.sub, at_least, out);
            }
        }
        HirKind::Capture(capture) => write(&capture.sub, at_least, out),
        HirKind::Concat(parts) => parts.iter().for_each(|part| write(part, at_least, out)),
        HirKind::Alternation(branches) => {
            if let Some(first) = branches.first() {
                write(first, at_least, out);
            }
        }
    }
}

/// A readable member of a class: a letter or digit when it has one.
fn pick(class: &Class) -> char {
    const PREFERRED: &str = "a0A-_.";
    // A byte class's ranges as the characters of the same numbers.
    let ranges: Vec<(char, char)> = match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect(),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .map(|r| (char::from(r.start()), char::from(r.end())))
            .collect(),
    };
    let contains = |c: char| ranges.iter().any(|&(start, end)| start <= c && c <= end);
    let mut starts = ranges.iter().map(|&(start, _)| start.max('!'));
    PREFERRED
        .chars()
        .find(|&c| contains(c))
        .or_else(|| match class {
            Class::Unicode(_) => starts.find(|&c| contains(c)),
            // Else the first range's start, as it is.
            Class::Bytes(_) => starts.next(),
        })
        .unwrap_or('a')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_match_their_patterns() {
        for pattern in [
            r"^([a-f0-9]{24})$",
            r"^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            r"^mdb_sa_id_[a-fA-F\d]{24}$",
            r"^vpc-[0-9a-f]{17}$",
            r"^p-[0-9a-z]{24}$",
            r"^([0-9]{1,3}\.){3}[0-9]{1,3}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){7}[0-9a-f]{1,4}(%2[fF][0-9]{1,3})?$",
        ] {
            let value = sample(pattern, 0).unwrap_or_else(|| panic!("no sample for {pattern}"));
            assert!(
                Regex::new(pattern).unwrap().is_match(&value),
                "{pattern}: {value}"
            );
        }
        assert_eq!(sample(r"^([a-f0-9]{24})$", 0).unwrap(), "a".repeat(24));
        assert_eq!(sample(r"^[a-z]*$", 1).unwrap(), "a");
    }

    #[test]
    fn patterns_the_regex_crate_cannot_use_are_not_used() {
        assert!(usable(r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}$").is_none());
        assert!(usable(r"^[1-9]\\d{3}$").is_none());
        assert!(usable(r"^[a-z]+$").is_some());
    }
}
