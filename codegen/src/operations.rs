//! The operations of the spec, read into what a declaration needs.

use serde_json::Value;

use crate::ir::{Direction, Ty};
use crate::naming;
use crate::schemas::{enum_values, Registry};
use crate::spec::Spec;

pub const PREFIX: &str = "/api/atlas/v2";
const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];
const COMMON: &[&str] = &["envelope", "pretty"];
const PAGING: &[&str] = &["pageNum", "itemsPerPage", "includeCount"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub place: Place,
    pub wire: String,
    pub rust: String,
    /// The argument's Rust type as written in the declaration.
    pub ty: String,
    pub required: bool,
    pub pattern: Option<String>,
    pub one_of: Vec<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

#[derive(Debug, Clone)]
pub enum Answer {
    Json(Ty),
    /// A `results` page of these items.
    Page(Ty),
    Nothing,
    Download(&'static str),
}

#[derive(Debug, Clone)]
pub struct Paging {
    pub include_count: bool,
    /// `None`: the spec sets no maximum; `Some(500)` is the runtime's default.
    pub max_items_per_page: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: Ty,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    pub method_name: String,
    pub tag: String,
    pub method: String,
    /// The spec's path without the API prefix (`/groups/{groupId}`).
    pub path: String,
    pub template: String,
    pub version: String,
    pub versions: Vec<String>,
    pub sunset: Option<String>,
    pub deprecated: bool,
    /// The operation id the spec points deprecated users to.
    pub replacement: Option<String>,
    pub params: Vec<Param>,
    pub paging: Option<Paging>,
    pub envelope: bool,
    pub envelope_default_true: bool,
    pub pretty: bool,
    pub body: Option<Body>,
    pub answer: Answer,
    pub unauthenticated: bool,
    pub roles: Vec<String>,
    pub docs_url: Option<String>,
    /// The path argument whose value serializes the calls of one client
    /// ([`SERIALIZED`]), written `serialize_by(<arg>)`.
    pub serialize_by: Option<&'static str>,
    /// The waiter of the operation, from [`crate::waiter_table::WAITERS`].
    pub wait: Option<crate::waiters::Resolved>,
}

/// The operations whose calls on one resource must go one at a time, and the path argument
/// naming that resource. The spec says of `createGroupAccessListEntry`: "This endpoint doesn't
/// support concurrent `POST` requests. You must submit multiple `POST` requests
/// synchronously." The Terraform provider serialises the POST and the DELETE of one project's
/// access list with one mutex (`internal/service/projectipaccesslist/`, PR #4628), so both
/// share the project's lock (the runtime keys it by `/groups/<group_id>/accessList`).
pub const SERIALIZED: &[(&str, &str)] = &[
    ("createGroupAccessListEntry", "group_id"),
    ("deleteGroupAccessListEntry", "group_id"),
];

/// Every operation, in the spec's order of paths and methods.
pub fn read(spec: &Spec) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    let paths = spec.root.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                found.push((path.clone(), method.to_uppercase(), op.clone()));
            }
        }
    }
    found
}

/// The request and response schemas of an operation's chosen version, for the first pass.
pub fn note_uses(spec: &Spec, registry: &mut Registry, op: &Value) {
    let version = latest_version(op);
    if let Some(schema) = body_schema(op, &version) {
        registry.note_use(schema, Direction::Request);
    }
    if let Some((schema, _)) = answer_schema(spec, op, &version) {
        registry.note_use(&schema, Direction::Response);
    }
}

pub fn operation(
    spec: &Spec,
    registry: &mut Registry,
    path: &str,
    method: &str,
    op: &Value,
) -> Operation {
    let id = text(op, "operationId");
    let name = op
        .get("x-xgen-operation-id-override")
        .and_then(Value::as_str)
        .unwrap_or(&id);
    let method_name = naming::snake(name);
    let tag = op
        .pointer("/tags/0")
        .and_then(Value::as_str)
        .unwrap_or("Untagged")
        .to_owned();
    let version = latest_version(op);
    let stem = naming::pascal(name);

    let params: Vec<Value> = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| spec.resolve(p).clone())
        .collect();
    let has = |name: &str| {
        params
            .iter()
            .any(|p| p["name"] == name && p["in"] == "query")
    };

    let answer_node = answer_schema(spec, op, &version);
    let answer = match &answer_node {
        Some((schema, format)) if *format == "json" => match page_items(spec, schema) {
            Some(items) => Answer::Page(registry.type_of(
                &items,
                Direction::Response,
                &format!("{stem}Item"),
                "",
            )),
            None => Answer::Json(registry.type_of(
                schema,
                Direction::Response,
                &format!("{stem}Answer"),
                "",
            )),
        },
        Some((_, format)) => Answer::Download(format),
        None => Answer::Nothing,
    };
    let is_page = matches!(answer, Answer::Page(_));
    let paging = (is_page && has("pageNum") && has("itemsPerPage")).then(|| {
        let per_page = params.iter().find(|p| p["name"] == "itemsPerPage");
        Paging {
            include_count: has("includeCount"),
            max_items_per_page: per_page
                .and_then(|p| p.pointer("/schema/maximum"))
                .and_then(Value::as_u64),
        }
    });
    let answer = match (answer, &paging) {
        (Answer::Page(items), None) => {
            // A page the declaration does not page through: its answer is the page's schema.
            let (schema, _) = answer_node.clone().unwrap_or((Value::Null, "json"));
            let _ = items;
            Answer::Json(registry.type_of(
                &schema,
                Direction::Response,
                &format!("{stem}Answer"),
                "",
            ))
        }
        (answer, _) => answer,
    };

    let mut declared = Vec::new();
    for param in &params {
        let wire = text(param, "name");
        let place = match param["in"].as_str() {
            Some("path") => Place::Path,
            Some("header") => Place::Header,
            _ => Place::Query,
        };
        if place == Place::Query
            && (COMMON.contains(&wire.as_str())
                || (paging.is_some() && PAGING.contains(&wire.as_str())))
        {
            continue;
        }
        declared.push(param_of(spec, param, place, wire));
    }
    // Required arguments first, in the spec's order, then the optional ones.
    // Path arguments in the order of the path.
    declared.sort_by_key(|p| {
        let position = match p.place {
            Place::Path => path.find(&format!("{{{}}}", p.wire)).unwrap_or(0),
            _ => 0,
        };
        (p.place != Place::Path, !p.required, position)
    });

    let body = body_schema(op, &version).map(|schema| Body {
        ty: registry.type_of(schema, Direction::Request, &format!("{stem}Body"), ""),
        required: op
            .pointer("/requestBody/required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    });

    let envelope_param = params.iter().find(|p| p["name"] == "envelope");
    let sunset = sunset_of(op, &version);
    let replacement = op
        .pointer("/externalDocs/url")
        .and_then(Value::as_str)
        .and_then(|url| url.split("/operation/").nth(1))
        .map(|id| id.trim_end_matches('/').to_owned());
    let spec_path = path.strip_prefix(PREFIX).unwrap_or(path).to_owned();
    Operation {
        template: template(&spec_path, &declared),
        path: spec_path,
        id,
        method_name,
        tag,
        method: method.to_owned(),
        versions: versions(op),
        version,
        sunset,
        deprecated: op
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        replacement,
        params: declared,
        paging,
        envelope: envelope_param.is_some(),
        envelope_default_true: envelope_param
            .and_then(|p| p.pointer("/schema/default"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        pretty: has("pretty"),
        body,
        answer,
        unauthenticated: op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty),
        roles: op
            .get("x-rolesRequirements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        docs_url: op
            .get("x-xgen-docs-url")
            .and_then(Value::as_str)
            .map(str::to_owned),
        serialize_by: SERIALIZED
            .iter()
            .find(|(id, _)| *id == text(op, "operationId"))
            .map(|&(_, arg)| arg),
        wait: None,
    }
}

fn text(node: &Value, key: &str) -> String {
    node.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// `{groupId}` → `<group_id>`; a placeholder keeps a literal suffix (`{logName}.gz`).
fn template(path: &str, params: &[Param]) -> String {
    let mut out = path.to_owned();
    for param in params.iter().filter(|p| p.place == Place::Path) {
        out = out.replace(
            &format!("{{{}}}", param.wire),
            &format!("<{}>", naming::unraw(&param.rust)),
        );
    }
    out
}

fn param_of(spec: &Spec, param: &Value, place: Place, wire: String) -> Param {
    let schema = spec
        .resolve(param.get("schema").unwrap_or(&Value::Null))
        .clone();
    let required = param
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || place == Place::Path;
    let rust = naming::snake(&wire);
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("string");
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let (base, is_list) = match kind {
        "array" => ("&[&str]", true),
        "boolean" => ("bool", false),
        "integer" if format == "int32" => ("i32", false),
        "integer" => ("i64", false),
        "number" => ("f64", false),
        _ if format == "date-time" && place == Place::Query => {
            ("chrono::DateTime<chrono::Utc>", false)
        }
        _ => ("&str", false),
    };
    let ty = if required || is_list {
        base.to_owned()
    } else {
        format!("Option<{base}>")
    };
    let items = schema
        .get("items")
        .map(|i| spec.resolve(i).clone())
        .unwrap_or(Value::Null);
    let values_of = if is_list { &items } else { &schema };
    let pattern = values_of
        .get("pattern")
        .and_then(Value::as_str)
        // `regex` has no look-around; the one spec pattern with it is left to Atlas.
        .filter(|p| !p.contains("(?=") && !p.contains("(?!") && !p.contains("(?<"))
        .map(str::to_owned);
    // The macro takes non-negative integer bounds; others are left to Atlas.
    let bound = |key: &str| {
        schema
            .get(key)
            .and_then(Value::as_u64)
            .map(|b| b.to_string())
    };
    Param {
        place,
        rust,
        ty,
        required,
        pattern,
        one_of: enum_values(values_of).unwrap_or_default(),
        min: if is_list { None } else { bound("minimum") },
        max: if is_list { None } else { bound("maximum") },
        min_items: schema.get("minItems").and_then(Value::as_u64),
        max_items: schema.get("maxItems").and_then(Value::as_u64),
        wire,
    }
}

/// The versions an operation offers, from its bodies and 2xx answers, oldest first.
fn versions(op: &Value) -> Vec<String> {
    let mut versions: Vec<String> = media_types(op)
        .into_iter()
        .filter_map(|(media, _)| parse_media(&media).map(|(v, _)| v))
        .collect();
    versions.sort_by_key(|v| (v != "preview", v.clone()));
    versions.dedup();
    versions
}

/// The newest dated version, or `preview` when it is the only one.
fn latest_version(op: &Value) -> String {
    versions(op)
        .pop()
        .unwrap_or_else(|| "2023-01-01".to_owned())
}

fn media_types(op: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    if let Some(content) = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
    {
        found.extend(content.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    for (code, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if code.starts_with('2') {
            if let Some(content) = response.get("content").and_then(Value::as_object) {
                found.extend(content.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
    }
    found
}

/// `application/vnd.atlas.2023-01-01+json` → (`2023-01-01`, `json`).
fn parse_media(media: &str) -> Option<(String, String)> {
    let rest = media.strip_prefix("application/vnd.atlas.")?;
    let (version, format) = rest.split_once('+')?;
    Some((version.to_owned(), format.to_owned()))
}

fn sunset_of(op: &Value, version: &str) -> Option<String> {
    media_types(op)
        .into_iter()
        .filter(|(media, _)| parse_media(media).is_some_and(|(v, _)| v == version))
        .find_map(|(_, node)| {
            node.get("x-sunset")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}

fn body_schema<'a>(op: &'a Value, version: &str) -> Option<&'a Value> {
    let content = op.pointer("/requestBody/content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| parse_media(media).is_some_and(|(v, _)| v == version))
        .or_else(|| content.iter().next())
        .and_then(|(_, node)| node.get("schema"))
}

/// The success schema in the chosen version, and its format (`json`, `gzip`, `csv`).
fn answer_schema(spec: &Spec, op: &Value, version: &str) -> Option<(Value, &'static str)> {
    let mut download = None;
    for (code, response) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !code.starts_with('2') {
            continue;
        }
        let response = spec.resolve(response);
        for (media, node) in response
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some((v, format)) = parse_media(media) else {
                continue;
            };
            if v != version {
                continue;
            }
            match format.as_str() {
                "json" => {
                    if let Some(schema) = node.get("schema") {
                        return Some((schema.clone(), "json"));
                    }
                }
                "gzip" => download = download.or(Some((Value::Null, "gzip"))),
                "csv" => download = download.or(Some((Value::Null, "csv"))),
                _ => {}
            }
        }
    }
    download
}

/// The item schema of a `results` page (`{links, results, totalCount}`).
fn page_items(spec: &Spec, schema: &Value) -> Option<Value> {
    let page = spec.resolve(schema);
    let properties = page.get("properties")?.as_object()?;
    let results = spec.resolve(properties.get("results")?);
    if results.get("type")? != "array" || !properties.contains_key("links") {
        return None;
    }
    results.get("items").cloned()
}
