//! The sandbox's tables: every operation and every schema as facts (paths, methods,
//! parameters, versions, status codes, types, patterns, bounds, enums, readOnly and
//! writeOnly), with the spec's prose left out. The sandbox's engine serves the API from them.
//!
//! Both files are JSON with one entry a line, so a change of the spec shows as a change of
//! the lines it touches.

use serde_json::{json, Map, Value};

use crate::operations::{Operation, PREFIX};
use crate::spec::Spec;

/// What the generated files say about themselves (JSON has no comments).
const GENERATED: &str =
    "generated from the Atlas Administration API spec by `cargo run -p atlas-endpoints-codegen`; do not edit";

/// Keys that hold prose or examples, never facts the engine needs.
const PROSE: &[&str] = &[
    "description",
    "example",
    "examples",
    "externalDocs",
    "title",
    "summary",
];

/// `sandbox/tables/operations.json`: one operation a line, in the spec's order.
pub fn operations(spec: &Spec, ops: &[Operation]) -> String {
    let mut lines = Vec::new();
    for op in ops {
        let Some(node) = spec
            .root
            .pointer(&format!(
                "/paths/{}",
                escape(&format!("{PREFIX}{}", op.path))
            ))
            .and_then(|item| item.get(op.method.to_lowercase()))
        else {
            continue;
        };
        lines.push(operation(spec, op, node).to_string());
    }
    wrap("operations", '[', ']', &lines)
}

/// `sandbox/tables/schemas.json`: one named schema a line, sorted by name.
pub fn schemas(spec: &Spec) -> String {
    let mut names: Vec<&String> = spec.schemas().keys().collect();
    names.sort();
    let lines: Vec<String> = names
        .into_iter()
        .map(|name| {
            format!(
                "{}:{}",
                Value::String(name.clone()),
                strip(&spec.schemas()[name])
            )
        })
        .collect();
    wrap("schemas", '{', '}', &lines)
}

fn wrap(key: &str, open: char, close: char, lines: &[String]) -> String {
    format!(
        "{{\"generated\":{},\n\"{key}\":{open}\n{}\n{close}}}\n",
        Value::String(GENERATED.to_owned()),
        lines.join(",\n")
    )
}

fn operation(spec: &Spec, op: &Operation, node: &Value) -> Value {
    let mut params = Vec::new();
    for param in node
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let param = spec.resolve(param);
        let place = param.get("in").and_then(Value::as_str).unwrap_or("query");
        if place == "cookie" {
            continue;
        }
        params.push(json!({
            "name": param.get("name").cloned().unwrap_or(Value::Null),
            "in": place,
            "required": param.get("required").and_then(Value::as_bool).unwrap_or(place == "path"),
            "schema": strip(param.get("schema").unwrap_or(&Value::Null)),
        }));
    }
    let versions: Vec<Value> = op
        .versions
        .iter()
        .map(|version| version_of(spec, node, version))
        .collect();
    let mut out = Map::new();
    out.insert("id".into(), json!(op.id));
    out.insert("method".into(), json!(op.method));
    out.insert("path".into(), json!(format!("{PREFIX}{}", op.path)));
    out.insert("auth".into(), json!(!op.unauthenticated));
    out.insert("paging".into(), json!(op.paging.is_some()));
    out.insert("params".into(), Value::Array(params));
    out.insert("versions".into(), Value::Array(versions));
    Value::Object(out)
}

/// One version of an operation: its body, its success status and answer, its sunset.
fn version_of(spec: &Spec, node: &Value, version: &str) -> Value {
    let mut out = Map::new();
    out.insert("version".into(), json!(version));
    if let Some(body) = node.get("requestBody").map(|body| spec.resolve(body)) {
        if let Some((_, media)) = media_of(body, version) {
            out.insert(
                "body".into(),
                json!({
                    "required": body.get("required").and_then(Value::as_bool).unwrap_or(false),
                    "schema": strip(media.get("schema").unwrap_or(&Value::Null)),
                }),
            );
        }
    }
    let responses = node.get("responses").and_then(Value::as_object);
    let mut success: Vec<(&String, &Value)> = responses
        .into_iter()
        .flatten()
        .filter(|(code, _)| code.starts_with('2'))
        .collect();
    success.sort_by_key(|(code, _)| code.as_str());
    let mut sunset = None;
    // The success that answers this version: one operation answers `200` in an old version
    // and `201` in a new one.
    let answering = success
        .iter()
        .find(|(_, response)| media_of(spec.resolve(response), version).is_some())
        .or(success.first());
    if let Some((code, response)) = answering {
        let response = spec.resolve(response);
        out.insert("status".into(), json!(code.parse::<u16>().unwrap_or(200)));
        match media_of(response, version) {
            Some((name, media)) => {
                sunset = media.get("x-sunset").cloned();
                out.insert("format".into(), json!(format_of(name)));
                if let Some(schema) = media.get("schema") {
                    out.insert("answer".into(), strip(schema));
                }
            }
            None => {
                out.insert("format".into(), json!("none"));
            }
        }
    }
    if let Some(sunset) = sunset {
        out.insert("sunset".into(), sunset);
    }
    Value::Object(out)
}

/// The content entry of `node` (a body or a response) for `version`.
fn media_of<'a>(node: &'a Value, version: &str) -> Option<(&'a str, &'a Value)> {
    let content = node.get("content")?.as_object()?;
    let marker = format!("application/vnd.atlas.{version}+");
    content
        .iter()
        .find(|(media, _)| media.starts_with(&marker))
        .map(|(media, node)| (media.as_str(), node))
}

/// `json`, `gzip`, `csv`, ... from `application/vnd.atlas.2023-01-01+gzip`.
fn format_of(media: &str) -> &'static str {
    match media.rsplit('+').next().unwrap_or("json") {
        "gzip" => "gzip",
        "csv" => "csv",
        "xml" => "xml",
        _ => "json",
    }
}

/// A schema with its prose removed. Property names are data, so `properties` keeps its
/// keys (a property may be called `description`); `x-` extensions go too, except none the
/// engine reads.
pub fn strip(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if PROSE.contains(&key.as_str()) || key.starts_with("x-") {
                    continue;
                }
                let value = match key.as_str() {
                    "properties" => match value {
                        Value::Object(props) => Value::Object(
                            props
                                .iter()
                                .map(|(name, schema)| (name.clone(), strip(schema)))
                                .collect(),
                        ),
                        other => other.clone(),
                    },
                    "enum" | "default" | "mapping" | "required" => value.clone(),
                    _ => strip(value),
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
        other => other.clone(),
    }
}

/// A JSON pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
