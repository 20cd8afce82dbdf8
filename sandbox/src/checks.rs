//! Guards run by the routes, in Atlas's order: authentication (in
//! [`crate::auth`]), version (`Accept`), validation of path and query. None of
//! them panics on any input.

use axum::http::{header, HeaderMap};
use serde_json::{json, Value};

use crate::errors::{ApiError, FieldViolation};

/// 406 unless exactly one `Accept` header is present and equals `expected`.
pub(crate) fn accept(headers: &HeaderMap, expected: &'static str) -> Result<(), ApiError> {
    let values: Vec<String> = headers
        .get_all(header::ACCEPT)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    match values.as_slice() {
        [only] if only == expected => Ok(()),
        [] => Err(ApiError::not_acceptable(expected, None)),
        _ => Err(ApiError::not_acceptable(expected, Some(&values.join(", ")))),
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_as_space`); invalid
/// escapes stay as they are, invalid UTF-8 becomes U+FFFD.
pub(crate) fn percent_decode(raw: &str, plus_as_space: bool) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let high = bytes.get(i + 1).and_then(|b| char::from(*b).to_digit(16));
                let low = bytes.get(i + 2).and_then(|b| char::from(*b).to_digit(16));
                if let (Some(high), Some(low)) = (high, low) {
                    // Both digits are below 16, so this fits in a byte.
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_as_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A request's query string, decoded, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Parses `a=1&b=2`; a key without `=` has an empty value.
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(key, true), percent_decode(value, true))
            })
            .collect();
        QueryParams(pairs)
    }

    /// How many times `name` is given.
    pub(crate) fn count(&self, name: &str) -> usize {
        self.0.iter().filter(|(key, _)| key == name).count()
    }

    /// The first value given for `name` (as Atlas, later repeats are ignored).
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The decoded values of a matched route's `{name}` segments.
///
/// Works on the raw path, one `/`-separated segment per parameter, so an
/// encoded `%2F` stays inside its segment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PathParams(Vec<(String, String)>);

impl PathParams {
    /// Pairs the `{name}` segments of `template` with the segments of `path`.
    pub(crate) fn extract(template: &str, path: &str) -> Self {
        let params = template
            .split('/')
            .zip(path.split('/'))
            .filter_map(|(pattern, raw)| {
                let name = pattern.strip_prefix('{')?.strip_suffix('}')?;
                Some((name.to_owned(), percent_decode(raw, false)))
            })
            .collect();
        PathParams(params)
    }

    /// The decoded value of `name`, or `""` if the template has no such name.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// `^([a-f0-9]{24})$`
pub(crate) fn is_object_id(value: &str) -> bool {
    value.len() == 24
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `^[a-zA-Z0-9][a-zA-Z0-9-]*$`
pub(crate) fn is_cluster_name(value: &str) -> bool {
    let mut bytes = value.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Collects every invalid request element, to answer one 400 naming them all.
#[derive(Debug, Default)]
pub(crate) struct Validator {
    violations: Vec<FieldViolation>,
    values: Vec<Value>,
}

impl Validator {
    fn reject(&mut self, field: &str, value: &str, description: String) {
        self.violations.push(FieldViolation {
            description,
            field: field.to_owned(),
        });
        self.values.push(json!({ field: value }));
    }

    /// A 24-hex id path parameter such as `groupId`.
    pub(crate) fn object_id(&mut self, field: &str, value: &str) {
        if !is_object_id(value) {
            self.reject(
                field,
                value,
                format!(
                    "{field} `{value}` is invalid: expected 24 lowercase hexadecimal characters."
                ),
            );
        }
    }

    /// A cluster or instance name path parameter.
    pub(crate) fn cluster_name(&mut self, field: &str, value: &str) {
        if !is_cluster_name(value) {
            self.reject(
                field,
                value,
                format!(
                    "{field} `{value}` is invalid: expected a letter or digit followed by \
                     letters, digits or hyphens."
                ),
            );
        }
    }

    /// An optional integer query parameter within `min..=max`.
    pub(crate) fn integer(
        &mut self,
        query: &QueryParams,
        field: &str,
        default: u32,
        min: u32,
        max: u32,
    ) -> u32 {
        let Some(raw) = query.first(field) else {
            return default;
        };
        match raw.parse::<i64>() {
            Ok(n) if (i64::from(min)..=i64::from(max)).contains(&n) => {
                u32::try_from(n).unwrap_or(default)
            }
            Ok(_) => {
                self.reject(
                    field,
                    raw,
                    format!("{field} `{raw}` is out of range: expected {min} to {max}."),
                );
                default
            }
            Err(_) => {
                self.reject(
                    field,
                    raw,
                    format!("{field} `{raw}` is invalid: expected an integer."),
                );
                default
            }
        }
    }

    /// An optional `true`/`false` query parameter.
    pub(crate) fn boolean(&mut self, query: &QueryParams, field: &str, default: bool) -> bool {
        match query.first(field) {
            None => default,
            Some("true") => true,
            Some("false") => false,
            Some(raw) => {
                self.reject(
                    field,
                    raw,
                    format!("{field} `{raw}` is invalid: expected true or false."),
                );
                default
            }
        }
    }

    /// 400 if anything was rejected.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.violations, self.values))
        }
    }
}

/// The paging parameters shared by every list route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListParams {
    /// `pageNum`, 1 or more (default 1).
    pub page_num: u32,
    /// `itemsPerPage`, 1 to 500 (default 100).
    pub items_per_page: u32,
    /// `includeCount` (default true).
    pub include_count: bool,
}

impl ListParams {
    /// Reads and validates `pageNum`, `itemsPerPage`, `includeCount`,
    /// `envelope` and `pretty` (the last two are applied by the renderer).
    pub(crate) fn validate(query: &QueryParams, validator: &mut Validator) -> Self {
        let page_num = validator.integer(query, "pageNum", 1, 1, i32::MAX as u32);
        let items_per_page = validator.integer(query, "itemsPerPage", 100, 1, 500);
        let include_count = validator.boolean(query, "includeCount", true);
        validator.boolean(query, "envelope", false);
        validator.boolean(query, "pretty", false);
        ListParams {
            page_num,
            items_per_page,
            include_count,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%2Fb", false), "a/b");
        assert_eq!(percent_decode("a+b%20c", true), "a b c");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(percent_decode("%zz%4", false), "%zz%4");
        assert_eq!(percent_decode("%ff", false), "\u{fffd}");
    }

    #[test]
    fn path_params_keep_encoded_slashes_in_their_segment() {
        let params = PathParams::extract("/g/{groupId}/s/{clusterName}/x", "/g/abc/s/a%2Fb/x");
        assert_eq!(params.get("groupId"), "abc");
        assert_eq!(params.get("clusterName"), "a/b");
        assert_eq!(params.get("missing"), "");
    }

    #[test]
    fn matches_the_spec_patterns() {
        assert!(is_object_id("5e2211c17a3e5a48f5497de3"));
        assert!(!is_object_id("5E2211C17A3E5A48F5497DE3"));
        assert!(!is_object_id("5e2211c17a3e5a48f5497de"));
        assert!(is_cluster_name("serverless-demo"));
        assert!(is_cluster_name("0"));
        assert!(!is_cluster_name("-demo"));
        assert!(!is_cluster_name(""));
        assert!(!is_cluster_name("a_b"));
    }

    #[test]
    fn validates_paging() {
        let mut validator = Validator::default();
        let query = QueryParams::parse(Some("pageNum=2&itemsPerPage=7&includeCount=false"));
        let params = ListParams::validate(&query, &mut validator);
        assert!(validator.finish().is_ok());
        assert_eq!((params.page_num, params.items_per_page), (2, 7));
        assert!(!params.include_count);

        for bad in [
            "pageNum=0",
            "pageNum=x",
            "pageNum=99999999999",
            "itemsPerPage=501",
            "itemsPerPage=1.5",
            "pretty=yes",
            "envelope=",
        ] {
            let mut validator = Validator::default();
            ListParams::validate(&QueryParams::parse(Some(bad)), &mut validator);
            assert!(validator.finish().is_err(), "{bad} should be rejected");
        }
    }
}
