//! Turning a path template and its values into a URL path.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

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
    for (param, value) in endpoint.path_params.iter().zip(values) {
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
    match pattern {
        Some(pattern) if !pattern.is_match(value) => refuse(Rule::Pattern(pattern.source())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::fixtures::FREE_TEXT;

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

    #[test]
    fn a_value_that_breaks_the_pattern_names_parameter_value_and_rule() {
        let error = format_path(&FREE_TEXT, &["nope", "x"]).unwrap_err();
        assert_eq!(error.parameter, "group_id");
        assert_eq!(error.value, "nope");
        assert_eq!(error.rule, Rule::Pattern("^([a-f0-9]{24})$"));
    }
}
