//! Reading requests by hand: percent-decoding, the query string, and the body checks of
//! the operations whose rules the spec does not state (see `engine::backups`). None of
//! them panics on any input.

use serde_json::{json, Map, Value};

use crate::errors::FieldViolation;

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

    /// Every value given for `name`, in order.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value given for `name` (as Atlas, later repeats are ignored).
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
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

/// `^[\p{L}\p{N}\-_.(),:&@+']{1,64}$`, the spec's pattern for the name of a
/// restore target (a flex or dedicated cluster). Letters and numbers are
/// Rust's `char::is_alphabetic` and `char::is_numeric`; the length counts
/// characters.
pub(crate) fn is_deployment_item_name(value: &str) -> bool {
    let count = value.chars().count();
    (1..=64).contains(&count)
        && value
            .chars()
            .all(|c| c.is_alphabetic() || c.is_numeric() || "-_.(),:&@+'".contains(c))
}

/// Collects every invalid request element, to answer one 400 naming them all.
#[derive(Debug, Default)]
pub(crate) struct Validator {
    violations: Vec<FieldViolation>,
    values: Vec<Value>,
}

impl Validator {
    fn reject(&mut self, field: &str, value: &str, description: String) {
        self.reject_value(field, Value::from(value), description);
    }

    /// Records one violation; `value` is what the request sent (`null` when
    /// it sent nothing), named in the error's `parameters`.
    fn reject_value(&mut self, field: &str, value: Value, description: String) {
        self.violations.push(FieldViolation {
            description,
            field: field.to_owned(),
        });
        self.values.push(json!({ field: value }));
    }

    /// A request body that must be one JSON object. `None` (with the
    /// violation recorded under `body`) when it is empty, not JSON or not an
    /// object.
    pub(crate) fn json_object(&mut self, bytes: &[u8]) -> Option<Map<String, Value>> {
        let description = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => return Some(map),
            Ok(_) => "The request body must be a JSON object.".to_owned(),
            Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => {
                "The request body is required: send a JSON object.".to_owned()
            }
            Err(error) => format!("The request body is not valid JSON: {error}."),
        };
        self.reject_value("body", Value::Null, description);
        None
    }

    /// A string field of a JSON body that must match `pattern` (described as
    /// `expected`); `None` when absent (a violation if `required`), of
    /// another type or not matching.
    pub(crate) fn body_string(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        required: bool,
        pattern: fn(&str) -> bool,
        expected: &str,
    ) -> Option<String> {
        match body.get(field) {
            None | Some(Value::Null) => {
                if required {
                    self.reject_value(
                        field,
                        Value::Null,
                        format!("{field} is required and missing from the request body."),
                    );
                }
                None
            }
            Some(Value::String(value)) if pattern(value) => Some(value.clone()),
            Some(Value::String(value)) => {
                self.reject(
                    field,
                    value,
                    format!("{field} `{value}` is invalid: expected {expected}."),
                );
                None
            }
            Some(other) => {
                self.reject_value(field, other.clone(), format!("{field} must be a string."));
                None
            }
        }
    }

    /// An optional integer field of a JSON body within `min..=max`.
    pub(crate) fn body_integer(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let value = body.get(field)?;
        match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            Some(_) => {
                self.reject_value(
                    field,
                    value.clone(),
                    format!("{field} `{value}` is out of range: expected {min} to {max}."),
                );
                None
            }
            None if value.is_null() => None,
            None => {
                self.reject_value(field, value.clone(), format!("{field} must be an integer."));
                None
            }
        }
    }

    /// A violation found by a route's own rule about a body field.
    pub(crate) fn body_rule(&mut self, field: &str, value: Value, description: String) {
        self.reject_value(field, value, description);
    }

    /// `value`, or every violation with the values named (a reader leaves `value` `None`
    /// only after rejecting something; if it did not, the body is named as invalid).
    pub(crate) fn into_result<T>(
        self,
        value: Option<T>,
    ) -> Result<T, (Vec<FieldViolation>, Vec<Value>)> {
        match value {
            Some(value) if self.violations.is_empty() => Ok(value),
            _ if !self.violations.is_empty() => Err((self.violations, self.values)),
            _ => Err((
                vec![FieldViolation {
                    description: "The request body is invalid.".to_owned(),
                    field: "body".to_owned(),
                }],
                vec![json!({ "body": Value::Null })],
            )),
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
    fn matches_deployment_item_names() {
        assert!(is_deployment_item_name("Cluster0"));
        assert!(is_deployment_item_name("Prüfung_(2):a&b@c+d'e.f"));
        assert!(is_deployment_item_name(&"é".repeat(64)));
        assert!(!is_deployment_item_name(&"a".repeat(65)));
        assert!(!is_deployment_item_name(""));
        assert!(!is_deployment_item_name("a/b"));
        assert!(!is_deployment_item_name("a b"));
    }

    #[test]
    fn reads_json_bodies() {
        let mut validator = Validator::default();
        let body =
            validator.json_object(br#"{"a": "5e2211c17a3e5a48f5497de3", "n": 5, "z": null}"#);
        let body = body.unwrap_or_default();
        assert_eq!(
            validator.body_string(&body, "a", true, is_object_id, "an id"),
            Some("5e2211c17a3e5a48f5497de3".to_owned())
        );
        assert_eq!(validator.body_integer(&body, "n", 1, 10), Some(5));
        assert_eq!(validator.body_integer(&body, "z", 1, 10), None);
        assert_eq!(
            validator.body_string(&body, "z", false, is_object_id, "an id"),
            None
        );
        assert!(validator.into_result(Some(())).is_ok());

        let mut validator = Validator::default();
        assert_eq!(
            validator.body_string(&body, "z", true, is_object_id, "an id"),
            None
        );
        assert_eq!(
            validator.body_string(&body, "n", true, is_object_id, "an id"),
            None
        );
        assert_eq!(validator.body_integer(&body, "n", 6, 10), None);
        assert_eq!(validator.body_integer(&body, "a", 6, 10), None);
        let error = validator.into_result(Some(())).err();
        let fields: Vec<String> = error
            .map(|(violations, _)| violations.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["z", "n", "n", "a"]);

        for bad in [&b""[..], b"  ", b"{", b"[]", b"\"x\""] {
            let mut validator = Validator::default();
            assert!(validator.json_object(bad).is_none());
            assert!(validator.into_result(Some(())).is_err());
        }
        assert!(Validator::default().into_result(None::<u8>).is_err());
        assert_eq!(Validator::default().into_result(Some(1)).ok(), Some(1));
    }
}
