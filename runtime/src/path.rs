//! Turning a path template and its values into a URL path.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::defaults::MAX_URL_BYTES;
use crate::endpoint::{Endpoint, Segment};
use crate::error::{InvalidArgument, Rule};
use crate::pattern::Pattern;

/// Everything but RFC 3986's unreserved characters is encoded, so a value is always exactly
/// one segment: `/`, `?`, `#`, `%`, spaces and non-ASCII never reach the path as themselves.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Formats the path of `endpoint` with `values` (one per path parameter, in order), checking
/// each value against its parameter's rules first.
pub(crate) fn format_path(
    endpoint: &'static Endpoint,
    values: &[&str],
) -> Result<String, InvalidArgument> {
    check_path_values(endpoint, values, |_| false)?;
    let mut path = String::with_capacity(endpoint.template.len() + 32);
    for segment in endpoint.segments {
        match *segment {
            Segment::Literal(text) => path.push_str(text),
            Segment::Param(index) => match values.get(index) {
                Some(value) => path.extend(utf8_percent_encode(value, SEGMENT)),
                // Only a hand-written call can get here: generated code passes every value.
                None => {
                    return Err(InvalidArgument {
                        parameter: endpoint
                            .path_params
                            .get(index)
                            .map_or("<missing>", |p| p.name())
                            .into(),
                        value: String::new(),
                        rule: Rule::NotEmpty,
                    })
                }
            },
        }
    }
    Ok(path)
}

/// Checks each path value against its parameter's rules, but those `skip` names (values
/// still to come, as a waiter's poll has them before the answer it takes them from).
pub(crate) fn check_path_values(
    endpoint: &'static Endpoint,
    values: &[&str],
    skip: impl Fn(&str) -> bool,
) -> Result<(), InvalidArgument> {
    for (param, value) in endpoint.path_params.iter().zip(values) {
        if skip(value) {
            continue;
        }
        check_path_value(param.name(), param.pattern(), value)?;
        let allowed = param.allowed_values();
        if !allowed.is_empty() && !allowed.contains(value) {
            return Err(InvalidArgument {
                parameter: param.name().into(),
                value: (*value).to_owned(),
                rule: Rule::OneOf(allowed),
            });
        }
    }
    Ok(())
}

fn check_path_value(
    name: &'static str,
    pattern: Option<&'static Pattern>,
    value: &str,
) -> Result<(), InvalidArgument> {
    let refuse = |rule| {
        Err(InvalidArgument {
            parameter: name.into(),
            value: value.to_owned(),
            rule,
        })
    };
    if value.is_empty() {
        return refuse(Rule::NotEmpty);
    }
    if value == "." || value == ".." {
        return refuse(Rule::NotDotSegment);
    }
    // Encoding at most triples a byte, so only long values are measured.
    if value.len().saturating_mul(3) > MAX_URL_BYTES && encoded_len(value) > MAX_URL_BYTES {
        return refuse(Rule::MaxEncodedLength(MAX_URL_BYTES));
    }
    // The value first: it is short, and rarely holds a `%`.
    if value.contains('%') && pattern.is_some_and(spells_encoded_slash) {
        return refuse(Rule::PlainValue);
    }
    match pattern {
        Some(pattern) if !matches_pattern(pattern, value) => {
            refuse(Rule::Pattern(pattern.source()))
        }
        _ => Ok(()),
    }
}

/// The length of `value` as one encoded path segment.
fn encoded_len(value: &str) -> usize {
    utf8_percent_encode(value, SEGMENT).map(str::len).sum()
}

/// Whether a spec pattern is written for the value with its slashes percent-encoded.
fn spells_encoded_slash(pattern: &Pattern) -> bool {
    let source = pattern.source();
    ["%2F", "%2f", "%2[fF]", "%2[Ff]"]
        .iter()
        .any(|spelling| source.contains(spelling))
}

/// Whether a plain value matches a spec pattern (issue 10, shape 2).
///
/// Some spec patterns describe the value as it is sent, with the slash percent-encoded
/// (`10.0.0.0%2F24`, `%2Fsubscriptions%2F…`), others the plain value. A value matches when
/// its *spec form* matches, the value with each `%` written `%25` and each `/` written
/// `%2F` (the two encodings the spec's patterns spell out), or when the value itself
/// matches and contains no `%`. The value is then sent percent-encoded exactly once, so
/// `10.0.0.0/24` goes out as `10.0.0.0%2F24`.
///
/// A value is always plain text, never taken as already encoded: `10.0.0.0%2F24` stands for
/// those thirteen characters and would go out as `10.0.0.0%252F24`. Where the pattern spells
/// an encoded slash, such a value is refused ([`Rule::PlainValue`]) before this is asked:
/// the spec's unanchored alternations (`^a|b$`) would otherwise accept it.
fn matches_pattern(pattern: &Pattern, value: &str) -> bool {
    if !value.contains(['%', '/']) {
        return pattern.is_match(value);
    }
    if !value.contains('%') && pattern.is_match(value) {
        return true;
    }
    let mut spec_form = String::with_capacity(value.len() + 8);
    for ch in value.chars() {
        match ch {
            '%' => spec_form.push_str("%25"),
            '/' => spec_form.push_str("%2F"),
            ch => spec_form.push(ch),
        }
    }
    pattern.is_match(&spec_form)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::fixtures::{ACCESS_LIST_DELETE, ENCODED_CIDR, FREE_TEXT};

    const GROUP: &str = "32b6e34b3d91647abb20e7b8";

    #[test]
    fn values_are_encoded_as_exactly_one_segment() {
        let path = format_path(&FREE_TEXT, &[GROUP, "a/b?c#d%e f\u{e9}"]).unwrap();
        assert_eq!(
            path,
            "/groups/32b6e34b3d91647abb20e7b8/things/a%2Fb%3Fc%23d%25e%20f%C3%A9"
        );
    }

    #[test]
    fn dot_segments_and_empty_values_are_refused() {
        for (value, rule) in [
            ("", Rule::NotEmpty),
            (".", Rule::NotDotSegment),
            ("..", Rule::NotDotSegment),
        ] {
            let error = format_path(&FREE_TEXT, &[GROUP, value]).unwrap_err();
            assert_eq!(error.parameter, "thing");
            assert_eq!(error.rule, rule);
        }
    }

    /// The spec's other CIDR pattern, which takes both spellings of the slash.
    static EITHER: Pattern = Pattern::new(
        r"^((([0-9]{1,3}\.){3}[0-9]{1,3})|(:{0,2}([0-9a-f]{1,4}:){0,7}[0-9a-f]{1,4}[:]{0,2}))((%2[fF]|/)[0-9]{1,3})+$",
    );

    #[test]
    fn a_plain_value_matches_a_pattern_written_for_the_encoded_slash_and_is_encoded_once() {
        for value in ["10.0.0.0/24", "10.0.0.1", "fe80::/64"] {
            assert!(matches_pattern(&ENCODED_CIDR, value), "{value}");
        }
        let path = format_path(&ACCESS_LIST_DELETE, &[GROUP, "10.0.0.0/24"]).unwrap();
        assert_eq!(path, format!("/groups/{GROUP}/accessList/10.0.0.0%2F24"));
        for value in ["10.0.0.0/24", "::1/128"] {
            assert!(matches_pattern(&EITHER, value), "{value}");
        }
    }

    #[test]
    fn a_value_already_encoded_is_not_sent_double_encoded() {
        // `%` is a plain character: `10.0.0.0%2F24` would go out as `…%252F24`, so a
        // parameter whose pattern spells the encoded slash refuses it, naming the value.
        for value in ["10.0.0.0%2F24", "10.0.0.0%2f24", "10.0.0.0%252F24"] {
            let error = format_path(&ACCESS_LIST_DELETE, &[GROUP, value]).unwrap_err();
            assert_eq!(error.parameter, "entry_value");
            assert_eq!(error.value, value);
            assert_eq!(error.rule, Rule::PlainValue);
        }
        // Without a pattern, `%` is sent as `%25`, as every other character outside the
        // unreserved set is encoded.
        let path = format_path(&FREE_TEXT, &[GROUP, "10.0.0.0%2F24"]).unwrap();
        assert!(path.ends_with("/things/10.0.0.0%252F24"), "{path}");
    }

    #[test]
    fn a_value_too_long_for_any_url_is_refused_naming_its_parameter() {
        let long = "x".repeat(1 << 20);
        let error = format_path(&FREE_TEXT, &[GROUP, &long]).unwrap_err();
        assert_eq!(error.parameter, "thing");
        assert_eq!(error.rule, Rule::MaxEncodedLength(MAX_URL_BYTES));
        // Encoding counts: 3000 `/` are 9000 bytes on the wire.
        let slashes = "/".repeat(3000);
        let error = format_path(&FREE_TEXT, &[GROUP, &slashes]).unwrap_err();
        assert_eq!(error.rule, Rule::MaxEncodedLength(MAX_URL_BYTES));
        assert!(format_path(&FREE_TEXT, &[GROUP, &"x".repeat(MAX_URL_BYTES - 100)]).is_ok());
    }

    #[test]
    fn a_value_that_breaks_the_pattern_names_parameter_value_and_rule() {
        let error = format_path(&FREE_TEXT, &["nope", "x"]).unwrap_err();
        assert_eq!(error.parameter, "group_id");
        assert_eq!(error.value, "nope");
        assert_eq!(error.rule, Rule::Pattern("^([a-f0-9]{24})$"));
    }
}
