//! Every operation of the tables, over HTTP: answered with its success status and a body
//! valid for its schema when the input is valid, refused with a 400 naming the parameter
//! when it is not.

use serde_json::{json, Value};

use super::examples::{example_requests, newest, ExampleRequest};
use super::patterns;
use super::tables::{tables, Operation, Place};
use super::validate::{self, Direction};
use crate::{Sandbox, DEFAULT_TOKEN};

fn operation(example: &ExampleRequest) -> &'static Operation {
    tables()
        .operations
        .iter()
        .find(|op| op.id == example.operation_id)
        .expect("an example of an operation of the tables")
}

struct Sent {
    status: u16,
    body: Value,
}

async fn send(client: &reqwest::Client, sandbox: &Sandbox, example: &ExampleRequest) -> Sent {
    let mut request = client
        .request(
            example.method.parse().expect("method"),
            format!("{}{}", sandbox.base_url(), example.path_and_query()),
        )
        .header("authorization", format!("Bearer {DEFAULT_TOKEN}"));
    for (name, value) in &example.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &example.body {
        request = request.body(body.clone());
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Sent { status, body }
}

#[tokio::test]
async fn every_operation_answers_valid_input_with_a_valid_answer() {
    let sandbox = Sandbox::builder()
        .example_data(true)
        .start()
        .await
        .expect("sandbox");
    let client = reqwest::Client::new();
    let tables = tables();
    let mut unexpected = Vec::new();
    let mut served = 0;
    let mut absent = Vec::new();
    for example in example_requests() {
        let op = operation(&example);
        let version = newest(op);
        let sent = send(&client, &sandbox, &example).await;
        let fine = sent.status == version.status;
        // A stateful object the default data does not hold, or one a create already made.
        let missing = matches!(sent.status, 404 | 409) && sent.body.get("errorCode").is_some();
        if missing {
            absent.push(format!("{} {}", op.id, sent.body["errorCode"]));
        }
        if !(fine || missing) {
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
    // With the example data every example finds what it names, but for children of what
    // a delete removed before them.
    println!(
        "{} answered 404 or 409:\n{}",
        absent.len(),
        absent.join("\n")
    );
    assert!(absent.len() <= 12, "{} answered 404 or 409", absent.len());
    assert_eq!(served, tables.operations.len());
}

#[tokio::test]
async fn invalid_path_values_and_bodies_are_refused_naming_them() {
    let sandbox = Sandbox::start().await.expect("sandbox");
    let client = reqwest::Client::new();
    let tables = tables();
    let mut unexpected = Vec::new();
    let mut checked = 0;
    for example in example_requests() {
        let op = operation(&example);
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
            let refused = example.clone().with_path_value(&param.name, "not valid!");
            let sent = send(&client, &sandbox, &refused).await;
            let named = sent.body["badRequestDetail"]["fields"][0]["field"] == json!(param.name);
            if sent.status != 400 || !named {
                unexpected.push(format!(
                    "{} path {}: {} {}",
                    op.id, param.name, sent.status, sent.body
                ));
            }
            checked += 1;
        }
        if example.body.is_some() {
            let refused = ExampleRequest {
                body: Some("{not json".to_owned()),
                ..example.clone()
            };
            let sent = send(&client, &sandbox, &refused).await;
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
