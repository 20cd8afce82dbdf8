//! Checking a request against its operation before anything changes: the version its
//! `Accept` asks for, path, query and header parameters, and the body.

use axum::http::{header, HeaderMap};
use serde_json::{json, Value};

use super::tables::{Operation, Place, Tables, Version};
use super::validate::{self, Direction, Violation};
use crate::checks::QueryParams;

/// The version whose media type the `Accept` header names, if the operation offers it.
/// Several media types may be listed; parameters (`;charset=utf-8`) are ignored.
pub(crate) fn version<'a>(
    op: &'a Operation,
    headers: &HeaderMap,
) -> Result<&'a Version, Vec<String>> {
    let offered: Vec<String> = op.versions.iter().map(Version::media_type).collect();
    for value in headers.get_all(header::ACCEPT) {
        let text = String::from_utf8_lossy(value.as_bytes());
        for media in text.split(',') {
            let media = media.split(';').next().unwrap_or("").trim();
            if let Some(index) = offered.iter().position(|offer| offer == media) {
                return Ok(&op.versions[index]);
            }
        }
    }
    Err(offered)
}

/// The violations of the path, query and header parameters, path first, and the values
/// they are about (for the error's `parameters`).
pub(crate) fn check_params(
    tables: &Tables,
    op: &Operation,
    path: &[(String, String)],
    raw_path: &[(String, String)],
    query: &QueryParams,
    headers: &HeaderMap,
) -> (Vec<Violation>, Vec<Value>) {
    let mut violations = Vec::new();
    let mut values = Vec::new();
    for place in [Place::Path, Place::Query, Place::Header] {
        for param in op.params.iter().filter(|param| param.place == place) {
            let given: Vec<String> = match place {
                Place::Path => path
                    .iter()
                    .filter(|(name, _)| *name == param.name)
                    .map(|(_, value)| value.clone())
                    .collect(),
                Place::Query => query.all(&param.name).map(str::to_owned).collect(),
                Place::Header => headers
                    .get_all(param.name.as_str())
                    .iter()
                    .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                    .collect(),
            };
            let found = check_one(tables, param.schema.clone(), &param.name, &given);
            let found = match (place, found.is_empty()) {
                // Some patterns are written against the encoded value (`10.0.0.0%2F16`).
                (Place::Path, false) => {
                    let raw: Vec<String> = raw_path
                        .iter()
                        .filter(|(name, _)| *name == param.name)
                        .map(|(_, value)| value.clone())
                        .collect();
                    let again = check_one(tables, param.schema.clone(), &param.name, &raw);
                    if again.is_empty() {
                        again
                    } else {
                        found
                    }
                }
                _ => found,
            };
            if given.is_empty() && param.required {
                violations.push(Violation {
                    field: param.name.clone(),
                    description: format!("{} is required", param.name),
                });
                continue;
            }
            if !found.is_empty() {
                values.push(json!({ param.name.as_str(): given.first() }));
                violations.extend(found);
            }
        }
    }
    (violations, values)
}

/// The violations of one parameter's values (none given is fine here).
fn check_one(tables: &Tables, schema: Value, name: &str, given: &[String]) -> Vec<Violation> {
    let Some(first) = given.first() else {
        return Vec::new();
    };
    let schema = tables.resolve(&schema).clone();
    let is_array = schema.get("type").and_then(Value::as_str) == Some("array");
    let value = if is_array {
        let item_schema = schema
            .get("items")
            .map(|items| tables.resolve(items).clone());
        Value::Array(
            given
                .iter()
                .flat_map(|value| value.split(','))
                .map(|value| typed(value, item_schema.as_ref()))
                .collect(),
        )
    } else {
        typed(first, Some(&schema))
    };
    let mut found = validate::check(tables, &value, &schema, name, Direction::Request);
    if !is_array && value.is_string() && !matches!(type_of(&schema), Some("string") | None) {
        found.retain(|violation| !violation.description.contains("must be of type"));
        found.push(Violation {
            field: name.to_owned(),
            description: format!(
                "{name} must be {}, not `{}`",
                article(type_of(&schema).unwrap_or("string")),
                validate::shorten(first)
            ),
        });
    }
    found
}

fn type_of(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

fn article(kind: &str) -> String {
    match kind {
        "integer" => "an integer".to_owned(),
        other => format!("a {other}"),
    }
}

/// A query or header value as the JSON its schema's type calls for; a value that does not
/// parse stays a string, so the check reports it.
fn typed(text: &str, schema: Option<&Value>) -> Value {
    match schema.and_then(type_of) {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| json!(text)),
        Some("number") => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| json!(text)),
        Some("boolean") => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(text),
        },
        _ => json!(text),
    }
}

/// The body as JSON and its violations, for a version that takes one.
pub(crate) fn check_body(
    tables: &Tables,
    version: &Version,
    patch: bool,
    bytes: &[u8],
) -> Result<Option<Value>, Vec<Violation>> {
    let Some(spec) = &version.body else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        if spec.required {
            return Err(vec![Violation {
                field: "body".to_owned(),
                description: "a request body is required".to_owned(),
            }]);
        }
        return Ok(None);
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        vec![Violation {
            field: "body".to_owned(),
            description: format!("the body is not valid JSON: {error}"),
        }]
    })?;
    let direction = if patch {
        Direction::Patch
    } else {
        Direction::Request
    };
    let found = validate::check(tables, &value, &spec.schema, "", direction);
    if found.is_empty() {
        Ok(Some(value))
    } else {
        Err(found)
    }
}

/// Whether a body's `Content-Type`, if it names an Atlas version, names this one.
pub(crate) fn content_type_fits(version: &Version, headers: &HeaderMap) -> Result<(), String> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(value.as_bytes());
    let media = text.split(';').next().unwrap_or("").trim();
    match media.strip_prefix("application/vnd.atlas.") {
        Some(rest) if !rest.starts_with(&format!("{}+", version.version)) => Err(media.to_owned()),
        _ => Ok(()),
    }
}
