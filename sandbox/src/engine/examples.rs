//! A valid request for every operation: the default data's ids and names in the path
//! (project [`crate::DEFAULT_GROUP_ID`], cluster [`crate::DEFAULT_CLUSTER`], ...), samples
//! of the spec's patterns for the other path values, the required query and header
//! parameters, and a body with the required fields of the request schema.

use serde_json::{json, Value};

use super::generate::{Facts, Maker};
use std::sync::OnceLock;

use super::backups;
use super::patterns;
use super::resources::{self, Plan, Plans};
use super::tables::{tables, Operation, Place, Version};
use super::validate::Direction;
use crate::{
    DEFAULT_CLUSTER, DEFAULT_FLEX_CLUSTER, DEFAULT_GROUP_ID, DEFAULT_INSTANCE, DEFAULT_ORG_ID,
};

/// A request the sandbox accepts for one operation, in its newest version. Add an
/// `Authorization` header and send it to [`crate::Sandbox::base_url`].
///
/// ```
/// let example = atlas_endpoints_sandbox::example_request("getGroupCluster").unwrap();
/// assert_eq!(example.method, "GET");
/// assert_eq!(
///     example.path_and_query(),
///     "/api/atlas/v2/groups/5e2211c17a3e5a48f5497de3/clusters/Cluster0",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleRequest {
    /// The spec's operation id.
    pub operation_id: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path template (`/api/atlas/v2/groups/{groupId}`).
    pub template: String,
    /// The path's values, decoded, in order.
    pub path_params: Vec<(String, String)>,
    /// The query's parameters, decoded.
    pub query: Vec<(String, String)>,
    /// `Accept`, `Content-Type` when there is a body, and the operation's header
    /// parameters.
    pub headers: Vec<(String, String)>,
    /// The JSON body, if the operation takes one.
    pub body: Option<String>,
}

impl ExampleRequest {
    /// The path with its values percent-encoded (one segment each), and the query.
    pub fn path_and_query(&self) -> String {
        let mut path = self.template.clone();
        for (name, value) in &self.path_params {
            path = path.replace(&format!("{{{name}}}"), &encode(value));
        }
        if !self.query.is_empty() {
            let pairs: Vec<String> = self
                .query
                .iter()
                .map(|(name, value)| format!("{name}={}", encode(value)))
                .collect();
            path = format!("{path}?{}", pairs.join("&"));
        }
        path
    }

    /// The same request with one path value replaced.
    pub fn with_path_value(mut self, name: &str, value: &str) -> ExampleRequest {
        for (key, old) in &mut self.path_params {
            if key == name {
                *old = value.to_owned();
            }
        }
        self
    }
}

/// A valid request for every operation the engine serves, in an order that can be sent
/// one after another to one sandbox: creates first, then reads, changes and actions, then
/// deletes, the deepest paths first, so that the default data stays until the end.
pub fn example_requests() -> Vec<ExampleRequest> {
    let mut examples: Vec<ExampleRequest> = (0..tables().operations.len()).map(example).collect();
    examples.sort_by_key(|example| match example.method.as_str() {
        "POST" => (0, 0),
        "DELETE" => (2, usize::MAX - example.template.matches('/').count()),
        _ => (1, 0),
    });
    examples
}

/// A valid request for the operation `operation_id`, if the spec has it.
pub fn example_request(operation_id: &str) -> Option<ExampleRequest> {
    tables()
        .operations
        .iter()
        .position(|op| op.id == operation_id)
        .map(example)
}

/// The sandbox's date when its clock starts, as the examples' facts give it.
const TODAY: &str = "2026-12-01T00:00:00Z";

/// The plans of the tables' operations, read once.
fn plans() -> &'static Plans {
    static PLANS: OnceLock<Plans> = OnceLock::new();
    PLANS.get_or_init(|| resources::plan(tables()))
}

fn example(index: usize) -> ExampleRequest {
    let tables = tables();
    let op = &tables.operations[index];
    let facts = Facts {
        now: TODAY.to_owned(),
        ..Facts::default()
    };
    let maker = Maker::new(tables, &facts, Direction::Request);
    let version = newest(op);
    let of_place = |place: Place| op.params.iter().filter(move |p| p.place == place);
    let path_params = of_place(Place::Path)
        .map(|p| (p.name.clone(), path_value(op, &p.name, &p.schema)))
        .collect();
    let query = of_place(Place::Query)
        .filter(|p| p.required)
        .map(|p| (p.name.clone(), text_of(&query_sample(&maker, &p.schema))))
        .collect();
    let mut headers = vec![("accept".to_owned(), version.media_type())];
    headers.extend(
        of_place(Place::Header)
            .filter(|p| p.required)
            .map(|p| (p.name.clone(), text_of(&maker.sample(&p.schema)))),
    );
    let plan = &plans().plans[index];
    let body = version.body.as_ref().map(|body| {
        headers.push(("content-type".to_owned(), version.media_type()));
        if let Some(example) = backups::example_body(&op.id) {
            return example.to_string();
        }
        let mut sample = maker.sample(&body.schema);
        // A create needs the fields that name the new object, required by the spec or not.
        if let (Plan::Create { fields }, Value::Object(map)) = (plan, &mut sample) {
            for field in fields.iter().flatten() {
                let first = field.split('|').next().unwrap_or(field);
                map.entry(first.to_owned())
                    .or_insert_with(|| json!(format!("example-{first}").to_lowercase()));
            }
        }
        sample.to_string()
    });
    ExampleRequest {
        operation_id: op.id.clone(),
        method: op.method.clone(),
        template: op.path.clone(),
        path_params,
        query,
        headers,
        body,
    }
}

/// The newest version of an operation.
pub(crate) fn newest(op: &Operation) -> &Version {
    // The generator writes every operation with at least one version, oldest first.
    op.versions.last().unwrap_or(&op.versions[0])
}

/// A valid value for a path parameter: the default data's ids and names where the path
/// names them, else a sample of the pattern.
fn path_value(op: &Operation, name: &str, schema: &Value) -> String {
    let known = match name {
        "groupId" => Some(DEFAULT_GROUP_ID),
        "orgId" => Some(DEFAULT_ORG_ID),
        "clusterName" if op.path.contains("/serverless/") => Some(DEFAULT_INSTANCE),
        "clusterName" => Some(DEFAULT_CLUSTER),
        "name" if op.path.contains("/flexClusters/") => Some(DEFAULT_FLEX_CLUSTER),
        "name" if op.path.contains("/serverless/") => Some(DEFAULT_INSTANCE),
        _ => None,
    };
    if let Some(known) = known {
        return known.to_owned();
    }
    if let Some(seeded) = backups::example_path_value(&op.path, name) {
        return seeded;
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

/// A value for a query parameter; an array holds one item.
fn query_sample(maker: &Maker<'_>, schema: &Value) -> Value {
    let schema = maker.tables.resolve(schema);
    match schema.get("items") {
        Some(items) => json!([maker.sample(items)]),
        None => maker.sample(schema),
    }
}

/// A JSON value as a query or header value (arrays comma-separated).
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
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

/// One object for every collection that holds state, named as [`example_requests`] name
/// them (under the default project, organization and cluster), so that each example finds
/// what it reads: `(path after /api/atlas/v2, object)`, parents first.
pub(crate) fn example_objects() -> Vec<(String, Value)> {
    let tables = tables();
    let mut templates: Vec<&String> = plans().stateful.iter().collect();
    templates.sort_by_key(|template| (template.matches('/').count(), template.as_str()));
    let mut objects = Vec::new();
    for template in templates {
        let Some(op) = tables
            .operations
            .iter()
            .filter(|op| op.path == **template)
            .min_by_key(|op| (op.method != "GET", op.path.len()))
        else {
            continue;
        };
        let params: Vec<(String, String)> = op
            .template
            .param_names()
            .map(|name| {
                let schema = op
                    .params
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.schema.clone())
                    .unwrap_or(Value::Null);
                (name.to_owned(), path_value(op, name, &schema))
            })
            .collect();
        let mut path = op.path.trim_start_matches("/api/atlas/v2/").to_owned();
        for (name, value) in &params {
            path = path.replace(&format!("{{{name}}}"), &value.replace('/', "%2F"));
        }
        let facts = Facts {
            item: params.last().cloned(),
            params,
            now: TODAY.to_owned(),
            ..Facts::default()
        };
        let maker = Maker::new(tables, &facts, Direction::Response);
        let answer = newest(op).answer.clone().unwrap_or(Value::Null);
        let mut object = maker.sample(&answer);
        maker.complete(&mut object, &answer);
        objects.push((path, object));
    }
    objects
}
