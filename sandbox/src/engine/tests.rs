//! Every operation of the tables, over HTTP: answered with its success status and a body
//! valid for its schema when the input is valid, refused with a 400 naming the parameter
//! when it is not.

use serde_json::{json, Value};

use super::generate::{Facts, Maker};
use super::patterns;
use super::tables::{tables, Operation, Place, Version};
use super::validate::{self, Direction};
use crate::{
    Sandbox, DEFAULT_CLUSTER, DEFAULT_FLEX_CLUSTER, DEFAULT_GROUP_ID, DEFAULT_ORG_ID, DEFAULT_TOKEN,
};

/// A valid value for a path parameter: the default data's ids and names where the path
/// names them, else a sample of the pattern.
fn path_value(op: &Operation, name: &str, schema: &Value) -> String {
    let known = match name {
        "groupId" => Some(DEFAULT_GROUP_ID),
        "orgId" => Some(DEFAULT_ORG_ID),
        "clusterName" => Some(DEFAULT_CLUSTER),
        "name" if op.path.contains("/flexClusters/") => Some(DEFAULT_FLEX_CLUSTER),
        _ => None,
    };
    if let Some(known) = known {
        return known.to_owned();
    }
    let schema = tables().resolve(schema);
    if let Some(first) = schema
        .get("enum")
        .and_then(|e| e.get(0))
        .and_then(Value::as_str)
    {
        return first.to_owned();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => return "1".to_owned(),
        Some("boolean") => return "true".to_owned(),
        _ => {}
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
    schema
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|pattern| patterns::sample(pattern, min))
        .unwrap_or_else(|| format!("sandbox1{}", "a".repeat(min.saturating_sub(8))))
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The backup operations the hand-written routes still serve, with rules of their own.
fn by_hand(op: &Operation) -> bool {
    op.path.contains("/serverless/{clusterName}/backup/")
        || op.path.contains("/flexClusters/{name}/backup/")
}

/// A value for a query parameter; an array holds one item.
fn query_sample(maker: &Maker<'_>, schema: &Value) -> Value {
    let schema = maker.tables.resolve(schema);
    match schema.get("items") {
        Some(items) => json!([maker.sample(items)]),
        None => maker.sample(schema),
    }
}

/// The newest version of an operation.
fn latest(op: &Operation) -> &Version {
    op.versions.last().expect("every operation has a version")
}

/// Percent-encodes everything but unreserved characters.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

struct Sent {
    status: u16,
    body: Value,
}

async fn send(
    client: &reqwest::Client,
    sandbox: &Sandbox,
    op: &Operation,
    path_override: Option<(&str, &str)>,
    body_override: Option<&str>,
) -> Sent {
    let tables = tables();
    let facts = Facts {
        now: "2026-12-01T00:00:00Z".to_owned(),
        ..Facts::default()
    };
    let maker = Maker {
        tables,
        facts: &facts,
        direction: Direction::Request,
    };
    let version = latest(op);
    let mut path = op.path.clone();
    for param in op.params.iter().filter(|p| p.place == Place::Path) {
        let value = match path_override {
            Some((name, value)) if name == param.name => value.to_owned(),
            _ => path_value(op, &param.name, &param.schema),
        };
        path = path.replace(&format!("{{{}}}", param.name), &encode(&value));
    }
    let query: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.place == Place::Query && p.required)
        .map(|p| {
            format!(
                "{}={}",
                p.name,
                encode(&text_of(&query_sample(&maker, &p.schema)))
            )
        })
        .collect();
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let mut request = client
        .request(
            op.method.parse().expect("method"),
            format!("{}{path}", sandbox.base_url()),
        )
        .header("authorization", format!("Bearer {DEFAULT_TOKEN}"))
        .header("accept", version.media_type());
    for param in op
        .params
        .iter()
        .filter(|p| p.place == Place::Header && p.required)
    {
        request = request.header(param.name.as_str(), text_of(&maker.sample(&param.schema)));
    }
    if let Some(body) = &version.body {
        let text = match body_override {
            Some(text) => text.to_owned(),
            None => maker.sample(&body.schema).to_string(),
        };
        request = request
            .header("content-type", version.media_type())
            .body(text);
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Sent { status, body }
}

#[tokio::test]
async fn every_operation_answers_valid_input_with_a_valid_answer() {
    let sandbox = Sandbox::start().await.expect("sandbox");
    let client = reqwest::Client::new();
    let tables = tables();
    let mut unexpected = Vec::new();
    let mut served = 0;
    for op in tables.operations.iter().filter(|op| !by_hand(op)) {
        let version = latest(op);
        let sent = send(&client, &sandbox, op, None, None).await;
        let fine = sent.status == version.status;
        // A stateful object the default data does not hold, or one a create already made.
        let absent = matches!(sent.status, 404 | 409) && sent.body.get("errorCode").is_some();
        if !(fine || absent) {
            unexpected.push(format!(
                "{} {} {}: {} {}",
                op.id, op.method, op.path, sent.status, sent.body
            ));
            continue;
        }
        served += 1;
        if fine && version.format == "json" {
            if let Some(schema) = &version.answer {
                if sent.status != 204 {
                    let found =
                        validate::check(tables, &sent.body, schema, "", Direction::Response);
                    if !found.is_empty() {
                        unexpected.push(format!("{}: invalid answer {:?}", op.id, found.first()));
                    }
                }
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected answers:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert_eq!(
        served,
        tables.operations.iter().filter(|op| !by_hand(op)).count()
    );
}

#[tokio::test]
async fn invalid_path_values_and_bodies_are_refused_naming_them() {
    let sandbox = Sandbox::start().await.expect("sandbox");
    let client = reqwest::Client::new();
    let tables = tables();
    let mut unexpected = Vec::new();
    let mut checked = 0;
    for op in &tables.operations {
        let patterned = op.params.iter().find(|p| {
            p.place == Place::Path
                && tables
                    .resolve(&p.schema)
                    .get("pattern")
                    .and_then(Value::as_str)
                    .and_then(patterns::usable)
                    .is_some()
        });
        if let Some(param) = patterned {
            let sent = send(
                &client,
                &sandbox,
                op,
                Some((&param.name, "not valid!")),
                None,
            )
            .await;
            let named = sent.body["badRequestDetail"]["fields"][0]["field"] == json!(param.name);
            if sent.status != 400 || !named {
                unexpected.push(format!(
                    "{} path {}: {} {}",
                    op.id, param.name, sent.status, sent.body
                ));
            }
            checked += 1;
        }
        if latest(op).body.is_some() {
            let sent = send(&client, &sandbox, op, None, Some("{not json")).await;
            let named = sent.body["badRequestDetail"]["fields"][0]["field"] == json!("body");
            if sent.status != 400 || !named {
                unexpected.push(format!("{} body: {} {}", op.id, sent.status, sent.body));
            }
            checked += 1;
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected answers:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(checked > 300, "only {checked} refusals checked");
}
