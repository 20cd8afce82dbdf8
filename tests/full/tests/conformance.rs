//! Conformance: every declared endpoint and every model of `atlas-endpoints` (feature `full`)
//! held against the Atlas Administration API spec.
//!
//! - **Endpoints** (`every_operation_is_declared_as_the_spec_says`): each operation of the spec
//!   has exactly one entry in `atlas_endpoints::catalog()`, with the spec's method and path, a
//!   version among those the operation offers, the same parameters in the same places (path,
//!   query, header; the common and paging ones included), the spec's path and query patterns,
//!   enums and bounds, paging (`includeCount`, the largest `itemsPerPage`), whether it takes a
//!   body, its answer's format, authentication, deprecation and sunset.
//! - **Answers** (`every_response_model_decodes_what_its_schema_allows`): for each model read
//!   from Atlas, JSON made from its schema (required fields only; every field; every field with
//!   enum values no spec lists yet), each variant of a union by its discriminator, an unknown
//!   union tag and an unknown enum value: each must decode, and encode back to the same JSON.
//! - **Requests** (`every_request_model_sends_what_its_schema_accepts`): for each model sent to
//!   Atlas, JSON of its required (not read-only) fields, and of every field it sends: decoded,
//!   encoded again, the result must be the same JSON, be valid by the request schema (the
//!   `jsonschema` crate, the spec's OpenAPI 3.0 schemas converted as `convert` says) and hold
//!   no read-only field.
//!
//! The models are listed, with the schema each comes from, by the generator in
//! `generated/models.rs` (`cargo run -p atlas-endpoints-codegen`). The spec is read from
//! `ATLAS_OPENAPI_SPEC`, or else `../shared/atlas-openapi/v2.yaml` beside the repository, once
//! for all three tests; without it each test says so and passes. Every failure is collected
//! and printed (what, where, how it differs) before the test fails with their count.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use atlas_endpoints::{catalog, Endpoint, ParamLocation, PathParam, QueryParam};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

#[path = "../../../runtime/tests/support/spec_file.rs"]
mod spec_file;
// The generator's reading of the spec (YAML to JSON values), so both read it alike.
#[path = "../../../codegen/src/spec.rs"]
#[allow(dead_code)] // the generator's `$ref` walking is its own
mod spec_json;
use spec_json::ref_name;

#[path = "generated/models.rs"]
mod generated;

// ---------------------------------------------------------------------------------------------
// Allowed deviations: each is named here, with why, and each is checked to still be needed.

/// Spec patterns the declarations leave out: the `regex` crate has no look-around (see
/// runtime/tests/spec_patterns.rs); Atlas still checks them.
const LOOK_AROUND: &[&str] =
    &[r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$"];

/// Discriminator bases (a mapping, no `oneOf`) whose own property contradicts every child's:
/// `ReplicaSetThresholdAlertConfigViewForNdsGroup.threshold.operator` is `<` or `>`, its
/// children's (`GreaterThanRawThreshold…`, `LessThanTimeThreshold…`) `GREATER_THAN` or
/// `LESS_THAN`, so no value satisfies both. The model is the union of the children (what
/// Atlas sends and takes); the base's own schema is not held against it.
const CONTRADICTING_BASES: &[&str] = &["ReplicaSetThresholdAlertConfigViewForNdsGroup"];

// ---------------------------------------------------------------------------------------------
// The model table (generated/models.rs).

/// How a model travels, from the operations that reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
    Both,
    Unreached,
}

/// One model: its Rust name, its schema's JSON pointer (`#/components/schemas/...`), how it
/// travels, its view (`Some` when it is one direction's view of a schema), and a function
/// that decodes JSON text into it and encodes it back.
pub struct Model {
    pub rust: &'static str,
    pub pointer: &'static str,
    pub travels: Direction,
    pub view: Option<Direction>,
    pub round_trip: fn(&str) -> Result<Value, String>,
}

impl Model {
    pub const fn new<T: DeserializeOwned + Serialize>(
        rust: &'static str,
        pointer: &'static str,
        travels: Direction,
        view: Option<Direction>,
    ) -> Model {
        Model {
            rust,
            pointer,
            travels,
            view,
            round_trip: round_trip::<T>,
        }
    }

    fn is_read(&self) -> bool {
        matches!(
            self.travels,
            Direction::Response | Direction::Both | Direction::Unreached
        )
    }

    fn is_sent(&self) -> bool {
        matches!(self.travels, Direction::Request | Direction::Both)
    }
}

/// Decodes as the client does (from text, naming the field that fails), and encodes again.
fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> Result<Value, String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| format!("does not decode: at `{}`: {}", error.path(), error.inner()))?;
    serde_json::to_value(&value).map_err(|error| format!("does not encode: {error}"))
}

// ---------------------------------------------------------------------------------------------
// The spec, read once.

struct Spec {
    root: Value,
    /// The discriminator values that select each component, from every mapping of the spec:
    /// component → `(tag property, values)`.
    tags: BTreeMap<String, Vec<(String, Vec<String>)>>,
}

fn spec() -> Option<&'static Spec> {
    static SPEC: OnceLock<Option<Spec>> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = spec_file::read_spec(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/atlas-openapi/v2.yaml"),
        )?;
        let started = Instant::now();
        let root = spec_json::Spec::load(&text).expect("the spec is YAML").root;
        let mut tags = BTreeMap::new();
        tag_index(&root, &mut tags);
        println!("spec read in {:.2?}", started.elapsed());
        Some(Spec { root, tags })
    })
    .as_ref()
}

impl Spec {
    fn pointer(&self, pointer: &str) -> Option<&Value> {
        self.root.pointer(pointer.trim_start_matches('#'))
    }

    /// The node a `$ref` names, following chains of references.
    fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(target) => node = self.pointer(target).unwrap_or(&Value::Null),
                None => return node,
            }
        }
        node
    }
}

fn target_name(reference: &Value) -> Option<&str> {
    reference.as_str()?.rsplit('/').next()
}

/// Collects failures under a heading and fails with their count.
#[derive(Default)]
struct Failures(Vec<String>);

impl Failures {
    fn push(&mut self, failure: String) {
        self.0.push(failure);
    }

    fn finish(self, what: &str, checked: &str) {
        println!("{what}: {checked}; {} failures", self.0.len());
        if self.0.is_empty() {
            return;
        }
        for failure in &self.0 {
            let end = (0..=700.min(failure.len()))
                .rev()
                .find(|i| failure.is_char_boundary(*i))
                .unwrap_or(0);
            let more = if end < failure.len() { "…" } else { "" };
            println!("  {}{more}", &failure[..end]);
        }
        panic!("{what}: {} failures (listed above)", self.0.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoints.

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

#[test]
fn every_operation_is_declared_as_the_spec_says() {
    let Some(spec) = spec() else { return };
    let mut failures = Failures::default();
    let mut declared: BTreeMap<&str, Vec<&'static Endpoint>> = BTreeMap::new();
    let endpoints = catalog();
    for endpoint in &endpoints {
        match endpoint.operation_id() {
            Some(id) => declared.entry(id).or_default().push(endpoint),
            None => failures.push(format!(
                "{} {}: declared without an operation id",
                endpoint.method(),
                endpoint.spec_path()
            )),
        }
    }
    let mut operations = 0;
    let mut seen = BTreeSet::new();
    let paths = spec.root["paths"].as_object().expect("the spec has paths");
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            operations += 1;
            let id = op["operationId"].as_str().unwrap_or_default();
            seen.insert(id);
            let found = declared.get(id).map(Vec::as_slice).unwrap_or_default();
            match found.len() {
                0 => failures.push(format!(
                    "{id} ({} {path}): not declared",
                    method.to_uppercase()
                )),
                1 => {}
                n => failures.push(format!(
                    "{id}: declared {n} times ({})",
                    found
                        .iter()
                        .map(|e| e.rust_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
            for endpoint in found {
                check_endpoint(spec, path, method, op, endpoint, &mut failures);
            }
        }
    }
    for (id, found) in &declared {
        if !seen.contains(id) {
            failures.push(format!(
                "{id} ({} {}): declared, but no operation of the spec has this id",
                found[0].method(),
                found[0].spec_path()
            ));
        }
    }
    failures.finish(
        "endpoints",
        &format!(
            "{operations} spec operations, {} catalog entries",
            endpoints.len()
        ),
    );
}

/// `application/vnd.atlas.2023-01-01+json` → (`2023-01-01`, `json`).
fn parse_media(media: &str) -> Option<(&str, &str)> {
    media
        .strip_prefix("application/vnd.atlas.")?
        .split_once('+')
}

/// The media types of an operation's body and 2xx answers.
fn media_types<'a>(spec: &'a Spec, op: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut found = Vec::new();
    if let Some(content) = op
        .pointer("/requestBody/content")
        .and_then(Value::as_object)
    {
        found.extend(content.iter().map(|(k, v)| (k.as_str(), v)));
    }
    found.extend(
        success_media(spec, op)
            .into_iter()
            .map(|(_, media, node)| (media, node)),
    );
    found
}

/// The media types of `op`'s success answers (`2xx`), each with its status code and node.
fn success_media<'a>(spec: &'a Spec, op: &'a Value) -> Vec<(&'a str, &'a str, &'a Value)> {
    let mut found = Vec::new();
    for (code, response) in op["responses"].as_object().into_iter().flatten() {
        if code.starts_with('2') {
            let response = spec.resolve(response);
            if let Some(content) = response.get("content").and_then(Value::as_object) {
                found.extend(
                    content
                        .iter()
                        .map(|(media, node)| (code.as_str(), media.as_str(), node)),
                );
            }
        }
    }
    found
}

fn check_endpoint(
    spec: &Spec,
    path: &str,
    method: &str,
    op: &Value,
    endpoint: &Endpoint,
    failures: &mut Failures,
) {
    let id = op["operationId"].as_str().unwrap_or_default();
    let who = format!("{id} (`{}`)", endpoint.rust_name());
    let mut differs = |what: &str, spec: &dyn std::fmt::Debug, declared: &dyn std::fmt::Debug| {
        failures.push(format!(
            "{who}: {what}: spec {spec:?}, declared {declared:?}"
        ));
    };
    if endpoint.method().as_str() != method.to_uppercase() {
        differs(
            "method",
            &method.to_uppercase(),
            &endpoint.method().as_str(),
        );
    }
    if endpoint.spec_path() != path {
        differs("path", &path, &endpoint.spec_path());
    }

    // The version, and what belongs to it: sunset, answer format, paging.
    let media = media_types(spec, op);
    let versions: BTreeSet<&str> = media
        .iter()
        .filter_map(|(m, _)| parse_media(m).map(|(v, _)| v))
        .collect();
    let version = endpoint.version();
    if !versions.contains(version) {
        differs("version", &versions, &version);
    }
    let sunset = media
        .iter()
        .filter(|(m, _)| parse_media(m).is_some_and(|(v, _)| v == version))
        .find_map(|(_, node)| node.get("x-sunset").and_then(Value::as_str));
    if endpoint.sunset() != sunset {
        differs("sunset", &sunset, &endpoint.sunset());
    }
    let spec_deprecated = op["deprecated"].as_bool().unwrap_or(false);
    let declared_deprecated = endpoint.deprecated().is_some();
    if declared_deprecated != (spec_deprecated || sunset.is_some()) {
        differs(
            "deprecated (or its version sunset)",
            &(spec_deprecated || sunset.is_some()),
            &declared_deprecated,
        );
    }
    let mut answer = None;
    let mut formats = BTreeSet::new();
    for (_, m, node) in success_media(spec, op) {
        if let Some((v, format)) = parse_media(m) {
            if v == version {
                formats.insert(format);
                if format == "json" && answer.is_none() {
                    answer = node.get("schema");
                }
            }
        }
    }
    let format = if formats.contains("json") || formats.is_empty() {
        "json"
    } else if formats.contains("gzip") {
        "gzip"
    } else {
        formats.iter().next().copied().unwrap_or("json")
    };
    if endpoint.format() != format {
        differs("answer format", &formats, &endpoint.format());
    }
    let has_body = op.get("requestBody").is_some();
    if endpoint.has_body() != has_body {
        differs("body", &has_body, &endpoint.has_body());
    }
    let unauthenticated = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    if endpoint.is_unauthenticated() != unauthenticated {
        differs(
            "unauthenticated",
            &unauthenticated,
            &endpoint.is_unauthenticated(),
        );
    }

    // Parameters: the same names in the same places.
    let params: Vec<&Value> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| spec.resolve(p))
        .collect();
    let place = |p: &Value| match p["in"].as_str() {
        Some("path") => Some(ParamLocation::Path),
        Some("query") => Some(ParamLocation::Query),
        Some("header") => Some(ParamLocation::Header),
        _ => None,
    };
    let spec_set: BTreeSet<(&str, &str)> = params
        .iter()
        .filter_map(|p| Some((p["name"].as_str()?, place(p)?.as_str())))
        .collect();
    let declared = endpoint.spec_params();
    let declared_set: BTreeSet<(&str, &str)> = declared
        .iter()
        .map(|p| (p.name, p.location.as_str()))
        .collect();
    for (name, location) in spec_set.difference(&declared_set) {
        failures.push(format!("{who}: {location} parameter `{name}` not declared"));
    }
    for (name, location) in declared_set.difference(&spec_set) {
        failures.push(format!(
            "{who}: {location} parameter `{name}` declared, not in the spec"
        ));
    }

    // Paging: a `results` page with `pageNum` and `itemsPerPage`.
    let has = |name: &str| spec_set.contains(&(name, "query"));
    let is_page = answer.is_some_and(|schema| {
        let page = spec.resolve(schema);
        let results = page.pointer("/properties/results").map(|r| spec.resolve(r));
        results.is_some_and(|r| r["type"] == "array") && page.pointer("/properties/links").is_some()
    });
    let paginated = is_page && has("pageNum") && has("itemsPerPage");
    if endpoint.is_paginated() != paginated {
        failures.push(format!(
            "{who}: paging: spec {}, declared {}",
            if paginated {
                "a page with pageNum and itemsPerPage"
            } else {
                "no paging"
            },
            endpoint.is_paginated()
        ));
    }
    if paginated {
        let max = params
            .iter()
            .find(|p| p["name"] == "itemsPerPage")
            .and_then(|p| spec.resolve(&p["schema"]).get("maximum"))
            .and_then(Value::as_u64)
            .map(|m| m as u32);
        let declared_max = endpoint.max_items_per_page();
        if declared_max != max {
            failures.push(format!(
                "{who}: largest itemsPerPage: spec {max:?}, declared {declared_max:?}"
            ));
        }
        if endpoint.takes_include_count() != has("includeCount") {
            failures.push(format!(
                "{who}: includeCount: spec {}, declared {}",
                has("includeCount"),
                endpoint.takes_include_count()
            ));
        }
    }

    // Constraints of path and query parameters.
    for param in &params {
        let name = param["name"].as_str().unwrap_or_default();
        let schema = spec.resolve(&param["schema"]);
        let is_list = schema["type"] == "array";
        let values = if is_list {
            spec.resolve(&schema["items"])
        } else {
            schema
        };
        let pattern = values["pattern"].as_str();
        let expected_pattern = pattern.filter(|p| !LOOK_AROUND.contains(p));
        let mut enumerated: Vec<&str> = Vec::new();
        let members: Vec<&Value> = match values["oneOf"].as_array() {
            Some(members) => members.iter().map(|m| spec.resolve(m)).collect(),
            None => vec![values],
        };
        for value in members
            .iter()
            .flat_map(|m| m["enum"].as_array().into_iter().flatten())
        {
            if let Some(value) = value.as_str() {
                if !enumerated.contains(&value) {
                    enumerated.push(value);
                }
            }
        }
        let bound = |key: &str| -> Option<u64> {
            // The macro takes non-negative integer bounds; others are left to Atlas.
            if is_list {
                None
            } else {
                schema.get(key).and_then(Value::as_u64)
            }
        };
        // What the spec says and what the endpoint declares, for each check.
        let (location, checks) = match param["in"].as_str() {
            Some("path") => {
                let Some(d) = wire_named(endpoint.path_params(), name, PathParam::wire_name) else {
                    continue;
                };
                let pattern = d.pattern().map(|p| p.source());
                let checks = vec![
                    ("pattern", shown(expected_pattern, pattern)),
                    ("values", shown(&enumerated, d.allowed_values())),
                ];
                ("path", checks)
            }
            Some("query") => {
                let Some(d) = wire_named(endpoint.query_params(), name, QueryParam::wire_name)
                else {
                    continue;
                };
                let items = |key: &str| schema.get(key).and_then(Value::as_u64).map(|n| n as usize);
                let pattern = d.value_pattern().map(|p| p.source());
                let checks = vec![
                    ("pattern", shown(expected_pattern, pattern)),
                    ("values", shown(&enumerated, d.allowed_values())),
                    ("minimum", shown(bound("minimum"), d.minimum())),
                    ("maximum", shown(bound("maximum"), d.maximum())),
                    ("minItems", shown(items("minItems"), d.min_items_allowed())),
                    ("maxItems", shown(items("maxItems"), d.max_items_allowed())),
                ];
                ("query", checks)
            }
            _ => continue,
        };
        for (what, (spec, declared)) in checks {
            if spec != declared {
                failures.push(format!(
                    "{who}: {what} of {location} parameter `{name}`: spec {spec}, declared {declared}"
                ));
            }
        }
    }
}

/// The parameter of `params` whose wire name (`wire_name`) is `name`.
fn wire_named<P>(
    params: &'static [P],
    name: &str,
    wire_name: fn(&P) -> &'static str,
) -> Option<&'static P> {
    params.iter().find(|param| wire_name(param) == name)
}

/// The spec's value and the declared one, as `{:?}` shows them: equal when they agree.
fn shown(spec: impl std::fmt::Debug, declared: impl std::fmt::Debug) -> (String, String) {
    (format!("{spec:?}"), format!("{declared:?}"))
}

// ---------------------------------------------------------------------------------------------
// JSON made from a schema.

/// The discriminator property a made value must carry and its value, if any.
type ForcedTag<'a> = Option<(&'a str, &'a str)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Only the required fields.
    Required,
    /// Every field (but a schema already being made, which is made only where required).
    Every,
    /// Every field, with a value no spec lists in each string enum.
    Unknown,
}

const UNKNOWN_VALUE: &str = "A_VALUE_FROM_A_LATER_SPEC";
const UNKNOWN_TAG: &str = "A_TAG_FROM_A_LATER_SPEC";

/// Strings tried, in order, for a string with a `pattern`.
const STRINGS: &[&str] = &[
    "5e2211c17a3e5a48f5497de3",
    "Cluster0",
    "example",
    "abc123",
    "a",
    "1",
    "192.168.0.1",
    "192.168.0.0/24",
    "arn:aws:iam::123456789012:role/app",
    "us-east-1",
    "M10",
    "8.0",
    "2024-01-02",
    "user@example.com",
    "https://example.com/path",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "example.com",
    "00000000-0000-0000-0000-000000000000",
    "ABCDEFGHIJ",
    "projects/my-project",
];

struct Maker<'s> {
    spec: &'s Spec,
    direction: Direction,
    mode: Mode,
    /// The components being made, innermost last.
    stack: Vec<String>,
    /// Strings of patterns that none of `STRINGS` matches.
    unmatched: BTreeSet<String>,
}

/// The most levels of optional fields made below a model.
const MAX_DEPTH: usize = 8;

impl<'s> Maker<'s> {
    fn new(spec: &'s Spec, direction: Direction, mode: Mode) -> Self {
        Maker {
            spec,
            direction,
            mode,
            stack: Vec::new(),
            unmatched: BTreeSet::new(),
        }
    }

    fn skips(&self, property: &Value) -> bool {
        let resolved = self.spec.resolve(property);
        let flag = |key: &str| property[key] == true || resolved[key] == true;
        match self.direction {
            Direction::Request => flag("readOnly"),
            _ => flag("writeOnly"),
        }
    }

    /// A value of `node`, or `None` where only an endless one would do (a required field
    /// that holds its own schema).
    fn make(&mut self, node: &Value) -> Option<Value> {
        if let Some(name) = ref_name(node) {
            if self.stack.iter().filter(|n| *n == name).count() >= 2 {
                return None;
            }
            self.stack.push(name.to_owned());
            let target = self.spec.resolve(node);
            let made = self.make_schema(target, Some(name), None);
            self.stack.pop();
            return made;
        }
        self.make_schema(node, None, None)
    }

    /// A value of the resolved schema `node`, component `name` when it is one; `tag` forces
    /// the discriminator's value.
    fn make_schema(&mut self, node: &Value, name: Option<&str>, tag: ForcedTag) -> Option<Value> {
        if let Some(values) = node["enum"].as_array() {
            let first = values.iter().find(|v| !v.is_null()).cloned()?;
            if self.mode == Mode::Unknown && first.is_string() {
                return Some(json!(UNKNOWN_VALUE));
            }
            return Some(first);
        }
        if let Some(members) = node["oneOf"].as_array() {
            if let Some(variant) = variants(self.spec, node).into_iter().next() {
                return self.make_variant(&variant);
            }
            return self.make(members.first()?);
        }
        if let Some(members) = node["anyOf"].as_array() {
            return self.make(members.first()?);
        }
        if is_base(node) && tag.is_none() {
            let variant = variants(self.spec, node)
                .into_iter()
                .find(|v| v.target.as_deref() != name)?;
            return self.make_variant(&variant);
        }
        let kind = node["type"].as_str().unwrap_or("");
        if kind == "object" || node.get("properties").is_some() || node.get("allOf").is_some() {
            return self.make_object(node, name, tag);
        }
        Some(match kind {
            "string" => json!(self.string(node)),
            "integer" => json!(integer(node)),
            "number" => json!(number(node)),
            "boolean" => json!(true),
            "array" => {
                let min = node["minItems"].as_u64().unwrap_or(0) as usize;
                let max = node["maxItems"].as_u64().map_or(usize::MAX, |m| m as usize);
                let count = min.max(1).min(max);
                let mut items = Vec::new();
                for _ in 0..count {
                    match self.make(&node["items"]) {
                        Some(item) => items.push(item),
                        None if items.len() >= min => break,
                        None => return None,
                    }
                }
                Value::Array(items)
            }
            _ => json!("a value"),
        })
    }

    fn make_variant(&mut self, variant: &VariantSchema) -> Option<Value> {
        let Some(target) = &variant.target else {
            return self.make(&variant.schema);
        };
        if self.stack.iter().filter(|n| *n == target).count() >= 2 {
            return None;
        }
        self.stack.push(target.clone());
        let node = self.spec.resolve(&variant.schema);
        let tag = variant
            .tag
            .as_ref()
            .map(|(property, value)| (property.as_str(), value.as_str()));
        let made = self.make_schema(node, Some(target), tag);
        self.stack.pop();
        made
    }

    fn make_object(&mut self, node: &Value, name: Option<&str>, tag: ForcedTag) -> Option<Value> {
        let merged = merged(self.spec, node);
        let mut object = Map::new();
        for (key, property) in &merged.properties {
            if self.skips(property) {
                continue;
            }
            let required = merged.required.contains(key);
            let wanted = required || (self.mode != Mode::Required && self.stack.len() < MAX_DEPTH);
            if !wanted {
                continue;
            }
            match self.make(property) {
                Some(value) => {
                    object.insert(key.clone(), value);
                }
                None if required => return None,
                None => {}
            }
        }
        let wants_one = node["minProperties"].as_u64().is_some_and(|n| n > 0);
        if merged.properties.is_empty() && (self.mode != Mode::Required || wants_one) {
            match node["additionalProperties"].as_object() {
                Some(values) if !values.is_empty() => {
                    if let Some(value) = self.make(&node["additionalProperties"]) {
                        object.insert("key".to_owned(), value);
                    }
                }
                _ if wants_one => {
                    object.insert("key".to_owned(), json!(1));
                }
                _ => {}
            }
        }
        // The discriminator of an `allOf` parent: this child's value in its mapping (not where
        // the tag is a read-only property of a request: see `READ_ONLY_TAGS`).
        let sends = |property: &str| {
            self.direction != Direction::Request
                || !merged
                    .properties
                    .iter()
                    .any(|(name, schema)| name == property && self.skips(schema))
        };
        let tag = tag.filter(|(property, _)| sends(property));
        for (property, mapping) in merged.discriminators.iter().filter(|(p, _)| sends(p)) {
            let value = mapping
                .iter()
                .find(|(_, target)| target_name(target) == name)
                .map(|(value, _)| value.clone());
            if let Some(value) = value {
                object.insert(property.clone(), json!(value));
            }
        }
        // A component some mapping selects: its (first) value there.
        let selected = name.and_then(|name| self.spec.tags.get(name));
        for (property, values) in selected.into_iter().flatten() {
            let has = merged.properties.iter().any(|(k, _)| k == property);
            if has && sends(property) {
                object.insert(property.clone(), json!(values[0]));
            }
        }
        if let Some((property, value)) = tag {
            object.insert(property.to_owned(), json!(value));
        }
        Some(Value::Object(object))
    }

    fn string(&mut self, node: &Value) -> String {
        let min = node["minLength"].as_u64().unwrap_or(0) as usize;
        let max = node["maxLength"]
            .as_u64()
            .map_or(usize::MAX, |m| m as usize);
        let fits = |s: &str| (min..=max).contains(&s.chars().count());
        if let Some(pattern) = node["pattern"].as_str() {
            let regex = regex::Regex::new(pattern).ok();
            if let Some(regex) = regex {
                let made = matching(pattern).filter(|s| regex.is_match(s) && fits(s));
                if let Some(made) = made {
                    return made;
                }
                if let Some(found) = STRINGS.iter().find(|s| regex.is_match(s) && fits(s)) {
                    return (*found).to_owned();
                }
                self.unmatched.insert(pattern.to_owned());
            } else {
                // The look-around pattern is an IP address.
                return "192.168.0.1".to_owned();
            }
        }
        let made = match node["format"].as_str().unwrap_or("") {
            "date-time" => "2024-01-02T03:04:05Z",
            "date" => "2024-01-02",
            "email" => "user@example.com",
            "uuid" => "123e4567-e89b-12d3-a456-426614174000",
            "uri" => "https://example.com/path",
            _ => "example",
        };
        if fits(made) {
            made.to_owned()
        } else {
            "x".repeat(min.max(1))
        }
    }
}

/// The shortest string the pattern's syntax spells out: each class's first character, each
/// repetition its minimum, each alternation its first branch (checked by the caller).
fn matching(pattern: &str) -> Option<String> {
    use regex_syntax::hir::{Class, Hir, HirKind};
    fn spell(hir: &Hir, out: &mut String) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
            HirKind::Class(Class::Unicode(class)) => {
                if let Some(range) = class.ranges().first() {
                    out.push(range.start());
                }
            }
            HirKind::Class(Class::Bytes(class)) => {
                if let Some(range) = class.ranges().first() {
                    out.push(range.start() as char);
                }
            }
            HirKind::Repetition(repetition) => {
                for _ in 0..repetition.min {
                    spell(&repetition.sub, out);
                }
            }
            HirKind::Capture(capture) => spell(&capture.sub, out),
            HirKind::Concat(parts) => parts.iter().for_each(|part| spell(part, out)),
            HirKind::Alternation(branches) => {
                if let Some(first) = branches.first() {
                    spell(first, out);
                }
            }
        }
    }
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    spell(&hir, &mut out);
    Some(out)
}

fn integer(node: &Value) -> i64 {
    let mut low = node["minimum"].as_f64().map(|m| m.ceil() as i64);
    if node["exclusiveMinimum"] == true {
        low = low.map(|l| l + 1);
    }
    let mut high = node["maximum"].as_f64().map(|m| m.floor() as i64);
    if node["exclusiveMaximum"] == true {
        high = high.map(|h| h - 1);
    }
    let value = low.map_or(1, |l| l.max(1));
    high.map_or(value, |h| value.min(h))
}

fn number(node: &Value) -> f64 {
    let low = node["minimum"].as_f64();
    let high = node["maximum"].as_f64();
    let value = low.map_or(1.5, |l| if l > 1.5 { l } else { 1.5 });
    high.map_or(value, |h| value.min(h))
}

/// A schema with a discriminator mapping and no `oneOf`: its children `allOf` it.
fn is_base(node: &Value) -> bool {
    node.get("oneOf").is_none() && node.pointer("/discriminator/mapping").is_some()
}

struct Merged {
    properties: Vec<(String, Value)>,
    required: BTreeSet<String>,
    /// `(propertyName, mapping)` of each discriminator met in the `allOf` chain.
    discriminators: Vec<(String, Map<String, Value>)>,
}

/// The properties of a schema with those of its `allOf` parents, parents first.
fn merged(spec: &Spec, node: &Value) -> Merged {
    fn into(spec: &Spec, node: &Value, out: &mut Merged, depth: usize) {
        if depth > 16 {
            return;
        }
        let node = spec.resolve(node);
        for member in node["allOf"].as_array().into_iter().flatten() {
            into(spec, member, out, depth + 1);
        }
        for (name, schema) in node["properties"].as_object().into_iter().flatten() {
            match out
                .properties
                .iter_mut()
                .find(|(existing, _)| existing == name)
            {
                Some(slot) => slot.1 = schema.clone(),
                None => out.properties.push((name.clone(), schema.clone())),
            }
        }
        for name in node["required"].as_array().into_iter().flatten() {
            if let Some(name) = name.as_str() {
                out.required.insert(name.to_owned());
            }
        }
        if let (Some(property), Some(mapping)) = (
            node.pointer("/discriminator/propertyName")
                .and_then(Value::as_str),
            node.pointer("/discriminator/mapping")
                .and_then(Value::as_object),
        ) {
            out.discriminators
                .push((property.to_owned(), mapping.clone()));
        }
    }
    let mut out = Merged {
        properties: Vec::new(),
        required: BTreeSet::new(),
        discriminators: Vec::new(),
    };
    into(spec, node, &mut out, 0);
    out
}

/// One member of a union: its schema (a `$ref` or inline), the component it names, and the
/// discriminator value that selects it.
struct VariantSchema {
    schema: Value,
    target: Option<String>,
    tag: Option<(String, String)>,
}

/// The members of a `oneOf`, or of a base schema's mapping: one per mapping value where there
/// is a mapping (every value is tried), else one per member.
fn variants(spec: &Spec, node: &Value) -> Vec<VariantSchema> {
    let property = node
        .pointer("/discriminator/propertyName")
        .and_then(Value::as_str);
    let mapping = node
        .pointer("/discriminator/mapping")
        .and_then(Value::as_object);
    if let (Some(property), Some(mapping)) = (property, mapping) {
        return mapping
            .iter()
            .filter_map(|(value, target)| {
                let reference = target.as_str()?;
                Some(VariantSchema {
                    schema: json!({ "$ref": reference }),
                    target: target_name(target).map(str::to_owned),
                    tag: Some((property.to_owned(), value.clone())),
                })
            })
            .collect();
    }
    let _ = spec;
    node["oneOf"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|member| VariantSchema {
            schema: member.clone(),
            target: ref_name(member).map(str::to_owned),
            tag: None,
        })
        .collect()
}

/// The JSON to try for one model: `(what it is, the JSON)`.
fn samples(
    spec: &Spec,
    node: &Value,
    name: Option<&str>,
    direction: Direction,
) -> (Vec<(String, Value)>, BTreeSet<String>) {
    let mut out = Vec::new();
    let mut unmatched = BTreeSet::new();
    let modes: &[Mode] = match direction {
        Direction::Request => &[Mode::Required, Mode::Every],
        _ => &[Mode::Required, Mode::Every, Mode::Unknown],
    };
    let is_enum = node.get("enum").is_some()
        || node["oneOf"]
            .as_array()
            .is_some_and(|members| members.iter().all(|m| m.get("enum").is_some()));
    if is_enum {
        let values: Vec<Value> = match node["enum"].as_array() {
            Some(values) => values.clone(),
            None => node["oneOf"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|m| m["enum"].as_array().cloned().unwrap_or_default())
                .collect(),
        };
        let mut seen = BTreeSet::new();
        for value in values.into_iter().filter(|v| !v.is_null()) {
            if seen.insert(value.to_string()) {
                out.push((format!("value {value}"), value));
            }
        }
        if direction != Direction::Request {
            out.push(("an unknown value".to_owned(), json!(UNKNOWN_VALUE)));
        }
        return (out, unmatched);
    }
    let union = node.get("oneOf").is_some() || is_base(node);
    for &mode in modes {
        let mut maker = Maker::new(spec, direction, mode);
        if let Some(name) = name {
            maker.stack.push(name.to_owned());
        }
        let label = match mode {
            Mode::Required => "required fields",
            Mode::Every => "every field",
            Mode::Unknown => "every field, unknown enum values",
        };
        if union {
            for variant in variants(spec, node) {
                if variant.target.as_deref() == name && name.is_some() {
                    continue;
                }
                let what = match (&variant.tag, &variant.target) {
                    (Some((property, value)), _) => format!("{property} {value:?}"),
                    (None, Some(target)) => format!("member {target}"),
                    (None, None) => "an inline member".to_owned(),
                };
                match maker.make_variant(&variant) {
                    Some(value) => out.push((format!("{what}, {label}"), value)),
                    None => out.push((format!("{what}, {label}: cannot be made"), Value::Null)),
                }
            }
        } else {
            match maker.make_schema(node, name, None) {
                Some(value) => out.push((label.to_owned(), value)),
                None => out.push((format!("{label}: cannot be made"), Value::Null)),
            }
        }
        unmatched.extend(maker.unmatched);
    }
    // An unknown tag: the first variant's JSON with a tag no spec lists.
    if union && direction != Direction::Request {
        let property = node
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        if let Some(property) = property {
            if let Some((_, Value::Object(first))) = out.iter().find(|(_, v)| v.is_object()) {
                let mut unknown = first.clone();
                unknown.insert(property.to_owned(), json!(UNKNOWN_TAG));
                out.push((format!("{property} unknown"), Value::Object(unknown)));
            }
        }
    }
    (out, unmatched)
}

/// Where two JSON values differ (numbers compared by value), or `None`.
fn difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => {
                        if let Some(found) = difference(&format!("{path}/{key}"), value, other) {
                            return Some(found);
                        }
                    }
                    // What Atlas answers reads an absent array as empty and leaves an empty
                    // one out (README, "Models"): `[]` and absent are the same answer.
                    None if value.as_array().is_some_and(Vec::is_empty) => {}
                    None => return Some(format!("{path}/{key} is lost")),
                }
            }
            b.keys()
                .find(|key| !a.contains_key(*key))
                .map(|key| format!("{path}/{key} appears"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{path}: {} items become {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (a, b))| difference(&format!("{path}/{i}"), a, b))
        }
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => None,
        _ if a == b => None,
        _ => Some(format!("{path}: {a} becomes {b}")),
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 300 {
        let end = (0..=300)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        format!("{}…", &text[..end])
    } else {
        text
    }
}

fn component_name(pointer: &str) -> Option<&str> {
    pointer
        .strip_prefix("#/components/schemas/")
        .filter(|rest| !rest.contains('/'))
}

// ---------------------------------------------------------------------------------------------
// Answers.

#[test]
fn every_response_model_decodes_what_its_schema_allows() {
    let Some(spec) = spec() else { return };
    let started = Instant::now();
    let mut failures = Failures::default();
    let (mut models, mut tried) = (0, 0);
    let mut unmatched = BTreeSet::new();
    for model in generated::MODELS.iter().filter(|m| m.is_read()) {
        models += 1;
        let Some(node) = spec.pointer(model.pointer) else {
            failures.push(format!("{}: no schema at {}", model.rust, model.pointer));
            continue;
        };
        let name = component_name(model.pointer);
        let (found, patterns) = samples(spec, node, name, Direction::Response);
        unmatched.extend(patterns);
        for (what, json) in found {
            tried += 1;
            if json.is_null() {
                failures.push(format!("{} ({}): {what}", model.rust, model.pointer));
                continue;
            }
            match (model.round_trip)(&json.to_string()) {
                Err(error) => failures.push(format!(
                    "{} ({}), {what}: {error}; JSON {}",
                    model.rust,
                    model.pointer,
                    short(&json)
                )),
                Ok(back) => {
                    if let Some(change) = difference("", &json, &back) {
                        failures.push(format!(
                            "{} ({}), {what}: encodes back differently: {change}",
                            model.rust, model.pointer
                        ));
                    }
                }
            }
        }
    }
    if !unmatched.is_empty() {
        println!("patterns no test string matches (\"example\" used): {unmatched:?}");
    }
    failures.finish(
        "response models",
        &format!(
            "{models} models, {tried} JSON values, in {:.2?}",
            started.elapsed()
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Requests.

#[test]
fn every_request_model_sends_what_its_schema_accepts() {
    let Some(spec) = spec() else { return };
    let started = Instant::now();
    let mut failures = Failures::default();
    let sent: Vec<&Model> = generated::MODELS.iter().filter(|m| m.is_sent()).collect();

    // One JSON Schema document for every request model, compiled once.
    let mut defects = Defects::default();
    let mut definitions = component_definitions(spec, &mut defects);
    for model in &sent {
        if let Some(node) = spec.pointer(model.pointer) {
            let converted = convert(
                spec,
                node,
                model.pointer,
                component_name(model.pointer),
                &mut defects,
            );
            definitions.insert(format!("m.{}", model.rust), converted);
        }
    }
    println!("spec defects allowed:");
    for (what, list) in [
        (
            "`type: object` beside a oneOf of string enums",
            &defects.enum_typed_object,
        ),
        (
            "oneOf of enums whose values overlap (read as anyOf)",
            &defects.overlapping_enums,
        ),
        (
            "discriminator values the target's tag enum lacks",
            &defects.tag_not_in_enum,
        ),
        (
            "allOf children narrowing a parent's enum",
            &defects.narrowed_property,
        ),
        (
            "discriminated oneOfs with their own enum properties",
            &defects.union_properties,
        ),
        (
            "untagged oneOfs of objects (read as anyOf)",
            &defects.untagged_one_of,
        ),
    ] {
        println!("  {what}: {}", list.len());
        for at in list {
            println!("    {at}");
        }
    }
    let converted = Converted::new(definitions);
    println!("request schemas converted in {:.2?}", started.elapsed());

    let mut tried = 0;
    for model in &sent {
        let Some(node) = spec.pointer(model.pointer) else {
            failures.push(format!("{}: no schema at {}", model.rust, model.pointer));
            continue;
        };
        let root = json!({ "$ref": format!("{DOCUMENT}#/definitions/m.{}", model.rust) });
        let validator = match converted.validator(&root) {
            Ok(validator) => validator,
            Err(error) => {
                failures.push(format!(
                    "{} ({}): its converted schema does not compile: {error}",
                    model.rust, model.pointer
                ));
                continue;
            }
        };
        let name = component_name(model.pointer);
        let (found, _) = samples(spec, node, name, Direction::Request);
        for (what, json) in found {
            tried += 1;
            let who = format!("{} ({}), {what}", model.rust, model.pointer);
            if json.is_null() {
                failures.push(who);
                continue;
            }
            let back = match (model.round_trip)(&json.to_string()) {
                Ok(back) => back,
                Err(error) => {
                    failures.push(format!("{who}: {error}; JSON {}", short(&json)));
                    continue;
                }
            };
            if let Some(change) = difference("", &json, &back) {
                failures.push(format!("{who}: encodes back differently: {change}"));
            }
            let errors = refusals(&validator, &back);
            let contradicting = CONTRADICTING_BASES.iter().any(|base| who.contains(base));
            if !errors.is_empty() && contradicting {
                println!("allowed (a contradicting base): {who}");
            } else if !errors.is_empty() {
                failures.push(format!(
                    "{who}: the request schema refuses it: {}; JSON {}",
                    errors.join("; "),
                    short(&back)
                ));
            }
            let mut read_only = Vec::new();
            find_read_only(spec, node, &back, "", &mut read_only, 0);
            if !read_only.is_empty() {
                failures.push(format!("{who}: sends read-only {}", read_only.join(", ")));
            }
        }
    }
    failures.finish(
        "request models",
        &format!(
            "{} models, {tried} JSON values, in {:.2?}",
            sent.len(),
            started.elapsed()
        ),
    );
}

/// Every component schema of the spec, converted, as `c.<name>`: what the converted `$ref`s
/// point to.
fn component_definitions(spec: &Spec, defects: &mut Defects) -> Map<String, Value> {
    let mut definitions = Map::new();
    for (name, schema) in spec.root["components"]["schemas"]
        .as_object()
        .expect("schemas")
    {
        let pointer = format!("#/components/schemas/{name}");
        let converted = convert(spec, schema, &pointer, Some(name), defects);
        definitions.insert(format!("c.{name}"), converted);
    }
    definitions
}

/// The converted schemas as one JSON Schema document (Draft 7) under `DOCUMENT`, registered
/// once; each validator refers into it.
struct Converted {
    registry: jsonschema::Registry<'static>,
}

impl Converted {
    fn new(definitions: Map<String, Value>) -> Self {
        let document = json!({ "definitions": definitions });
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft7)
            .add(DOCUMENT, document)
            .and_then(|builder| builder.prepare())
            .expect("the converted schemas form a registry");
        Self { registry }
    }

    /// Compiles `root` (a `$ref` into the document), formats checked.
    fn validator(
        &self,
        root: &Value,
    ) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(root)
    }
}

/// The first three reasons `validator` refuses `value`, each with where.
fn refusals(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .take(3)
        .map(|error| format!("at `{}`: {error}", error.instance_path()))
        .collect()
}

/// Spec defects the conversion allows, each counted and listed when the test runs; and which
/// way the converted schemas check (`for_answers`: write-only fields are not required, where
/// a request needs no read-only one).
#[derive(Default)]
struct Defects {
    for_answers: bool,
    /// `type: object` beside a `oneOf` of string enums (the region names): the `type` is left
    /// out, and the members are read as `anyOf` (their values overlap: `US_EAST_2`, ...).
    enum_typed_object: BTreeSet<String>,
    /// Enum members that share values, read as `anyOf`.
    overlapping_enums: BTreeSet<String>,
    /// A discriminator mapping value its target's tag property does not list (`nGram` maps to
    /// a tokenizer whose `type` enum says `edgeGram`; `S3` to a connection whose `type` enum
    /// lacks it): the tag property of a mapping target is read as the mapping's values.
    tag_not_in_enum: BTreeSet<String>,
    /// An `allOf` child redefining a property of its parent with values the parent's enum does
    /// not list (metric thresholds' `units`): the child's definition is kept, as the models do.
    narrowed_property: BTreeSet<String>,
    /// A discriminated `oneOf` with enum properties of its own that its members contradict
    /// (the metric thresholds' `units`: `RAW` for an assert count): its own properties are left
    /// out, as the models leave them (a union is its members).
    union_properties: BTreeSet<String>,
    /// An untagged `oneOf` of object schemas, read as `anyOf`: its members' fields are optional
    /// or shared, so one value fits several (`{}` fits every `HardwareSpec20240805` member)
    /// and `oneOf` would refuse it; the models take the first member that decodes.
    untagged_one_of: BTreeSet<String>,
}

/// Every discriminator mapping of the spec: component → `(tag property, values)`.
fn tag_index(node: &Value, out: &mut BTreeMap<String, Vec<(String, Vec<String>)>>) {
    match node {
        Value::Object(object) => {
            if let (Some(property), Some(mapping)) = (
                node.pointer("/discriminator/propertyName")
                    .and_then(Value::as_str),
                node.pointer("/discriminator/mapping")
                    .and_then(Value::as_object),
            ) {
                for (value, target) in mapping {
                    let Some(target) = target_name(target) else {
                        continue;
                    };
                    let entries = out.entry(target.to_owned()).or_default();
                    match entries.iter_mut().find(|(p, _)| p == property) {
                        Some((_, values)) if !values.contains(value) => values.push(value.clone()),
                        Some(_) => {}
                        None => entries.push((property.to_owned(), vec![value.clone()])),
                    }
                }
            }
            for (key, child) in object {
                if key != "example" && key != "examples" {
                    tag_index(child, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| tag_index(item, out)),
        _ => {}
    }
}

/// An OpenAPI 3.0 schema (of a request) as JSON Schema (draft 7), `$ref`s to components
/// pointing into `#/definitions/c.Name`:
/// - `nullable: true` adds `null` to `type` (and to `enum`), or wraps a schema without `type`
///   in `anyOf [schema, null]`;
/// - a read-only property is not required (OpenAPI: `required` applies to responses only);
/// - `exclusiveMinimum: true` with `minimum: n` is `exclusiveMinimum: n` (draft 7's form);
/// - `allOf` is flattened as the models flatten it: the members' properties merged, a later
///   definition of a property replacing an earlier one, `required` joined;
/// - a `oneOf` with a discriminator mapping is dispatched by the tag: for each mapping value,
///   `if` the tag is it `then` its member, and the tag must be a mapping value (OpenAPI's
///   reading; the members' own properties often overlap, so `oneOf` would refuse them); the
///   tag property of a mapping target is its mapping values;
/// - `example`, `discriminator`, `x-` keys and prose are left out; and the spec defects of
///   [`Defects`].
fn convert(
    spec: &Spec,
    node: &Value,
    pointer: &str,
    name: Option<&str>,
    defects: &mut Defects,
) -> Value {
    let object = match node {
        Value::Object(object) => object,
        Value::Array(items) => {
            let items = items.iter().enumerate();
            return items
                .map(|(i, item)| convert(spec, item, &format!("{pointer}/{i}"), None, defects))
                .collect();
        }
        other => return other.clone(),
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        return json!({ "$ref": definition(reference) });
    }
    let mut out = Map::new();
    let flattened = object.contains_key("allOf");
    let merged = merged(spec, node);
    if flattened {
        for member in object["allOf"].as_array().into_iter().flatten() {
            let member = spec.resolve(member);
            for (key, parent) in member["properties"].as_object().into_iter().flatten() {
                let child = object.get("properties").and_then(|p| p.get(key));
                let (Some(values), Some(child)) = (parent.get("enum"), child) else {
                    continue;
                };
                let narrowed = child["enum"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|v| !values.as_array().is_some_and(|vs| vs.contains(v)));
                if narrowed {
                    defects
                        .narrowed_property
                        .insert(format!("{pointer}/properties/{key}"));
                }
            }
        }
    }
    for (key, value) in object {
        let child = format!("{pointer}/{key}");
        match key.as_str() {
            "example" | "examples" | "discriminator" | "xml" | "externalDocs" | "description"
            | "title" | "nullable" | "readOnly" | "writeOnly" | "allOf" => {}
            k if k.starts_with("x-") => {}
            "properties" | "required" if flattened => {}
            "properties" => {
                let mut properties = Map::new();
                for (name, property) in value.as_object().into_iter().flatten() {
                    let at = format!("{child}/{name}");
                    properties.insert(name.clone(), convert(spec, property, &at, None, defects));
                }
                out.insert(key.clone(), Value::Object(properties));
            }
            "required" => {}
            "enum" | "default" | "const" => {
                out.insert(key.clone(), value.clone());
            }
            _ => {
                out.insert(key.clone(), convert(spec, value, &child, None, defects));
            }
        }
    }
    if flattened {
        let mut properties = Map::new();
        for (key, property) in &merged.properties {
            let at = format!("{pointer}/properties/{key}");
            properties.insert(key.clone(), convert(spec, property, &at, None, defects));
        }
        out.insert("properties".to_owned(), Value::Object(properties));
        out.entry("type").or_insert(json!("object"));
    }
    // Required, but for read-only properties.
    let required: Vec<Value> = merged
        .required
        .iter()
        .filter(|key| {
            let property = merged
                .properties
                .iter()
                .find(|(k, _)| k == *key)
                .map(|(_, p)| p);
            // A request needs no read-only field, an answer no write-only one.
            let left_out = if defects.for_answers {
                "writeOnly"
            } else {
                "readOnly"
            };
            !property.is_some_and(|p| p[left_out] == true || spec.resolve(p)[left_out] == true)
        })
        .map(|key| json!(key))
        .collect();
    if !required.is_empty() {
        out.insert("required".to_owned(), Value::Array(required));
    }
    // A mapping target's tag.
    if let Some(name) = name {
        let tags = spec.tags.get(name).cloned().unwrap_or_default();
        for (property, values) in tags {
            let Some(Value::Object(properties)) = out.get_mut("properties") else {
                continue;
            };
            if let Some(Value::Object(tag)) = properties.get_mut(&property) {
                let listed = tag.get("enum").and_then(Value::as_array);
                if listed.is_some_and(|l| values.iter().any(|v| !l.contains(&json!(v)))) {
                    defects
                        .tag_not_in_enum
                        .insert(format!("{pointer} ({property} {values:?})"));
                }
                tag.insert("enum".to_owned(), json!(values));
            }
        }
    }
    for (key, minimum) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match object.get(key) {
            Some(Value::Bool(true)) => {
                out.remove(key);
                if let Some(bound) = out.remove(minimum) {
                    out.insert(key.to_owned(), bound);
                }
            }
            Some(Value::Bool(false)) => {
                out.remove(key);
            }
            _ => {}
        }
    }
    // A oneOf dispatched by its tag.
    if let (Some(property), Some(mapping), true) = (
        node.pointer("/discriminator/propertyName")
            .and_then(Value::as_str),
        node.pointer("/discriminator/mapping")
            .and_then(Value::as_object),
        out.contains_key("oneOf"),
    ) {
        out.remove("oneOf");
        let own_enums = object
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.values().any(|p| p.get("enum").is_some()));
        if own_enums {
            defects.union_properties.insert(pointer.to_owned());
        }
        out.remove("properties");
        out.remove("required");
        let mut all: Vec<Value> = mapping
            .iter()
            .map(|(value, target)| {
                json!({
                    "if": { "properties": { property: { "const": value } }, "required": [property] },
                    "then": { "$ref": definition(target.as_str().unwrap_or_default()) },
                })
            })
            .collect();
        let values: Vec<&String> = mapping.keys().collect();
        all.push(json!({ "properties": { property: { "enum": values } } }));
        out.insert("allOf".to_owned(), Value::Array(all));
    }
    // A oneOf of enums.
    if let Some(members) = object.get("oneOf").and_then(Value::as_array) {
        let members: Vec<&Value> = members.iter().map(|m| spec.resolve(m)).collect();
        if members.iter().all(|m| m.get("enum").is_some()) {
            if object.get("type") == Some(&json!("object")) {
                defects.enum_typed_object.insert(pointer.to_owned());
                out.remove("type");
            }
            let mut seen = BTreeSet::new();
            let overlap = members
                .iter()
                .flat_map(|m| m["enum"].as_array().cloned().unwrap_or_default())
                .any(|v| !seen.insert(v.to_string()));
            if overlap {
                defects.overlapping_enums.insert(pointer.to_owned());
                if let Some(members) = out.remove("oneOf") {
                    out.insert("anyOf".to_owned(), members);
                }
            }
        } else if node.get("discriminator").is_none() {
            defects.untagged_one_of.insert(pointer.to_owned());
            if let Some(members) = out.remove("oneOf") {
                out.insert("anyOf".to_owned(), members);
            }
        }
    }
    if object.get("nullable") == Some(&Value::Bool(true)) {
        match out.get_mut("type") {
            Some(Value::String(kind)) => {
                let kind = kind.clone();
                out.insert("type".to_owned(), json!([kind, "null"]));
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
        }
    }
    Value::Object(out)
}

/// The converted document's URI in the registry (nothing is fetched).
const DOCUMENT: &str = "urn:atlas-endpoints:spec";

/// Where a spec `$ref` points in the converted document.
fn definition(reference: &str) -> String {
    match reference.strip_prefix("#/components/schemas/") {
        Some(name) => format!(
            "#/definitions/c.{}",
            name.replace('~', "~0").replace('/', "~1")
        ),
        None => reference.to_owned(),
    }
}

/// The read-only properties `value` holds where `node` (its schema) says so.
fn find_read_only(
    spec: &Spec,
    node: &Value,
    value: &Value,
    path: &str,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    let node = spec.resolve(node);
    match value {
        Value::Object(object) => {
            // The schemas the object is checked against: itself, its `allOf` chain, and the
            // union member its tag (or, untagged, any member) selects.
            let mut schemas = vec![node];
            let mut i = 0;
            while i < schemas.len() {
                let schema = spec.resolve(schemas[i]);
                schemas[i] = schema;
                for member in schema["allOf"].as_array().into_iter().flatten() {
                    schemas.push(spec.resolve(member));
                }
                let tag = schema
                    .pointer("/discriminator/propertyName")
                    .and_then(Value::as_str)
                    .and_then(|p| object.get(p))
                    .and_then(Value::as_str);
                let selected =
                    tag.and_then(|tag| schema.pointer(&format!("/discriminator/mapping/{tag}")));
                match selected {
                    Some(target) => {
                        if let Some(node) = target.as_str().and_then(|t| spec.pointer(t)) {
                            if !schemas.iter().any(|s| std::ptr::eq(*s, node)) {
                                schemas.push(node);
                            }
                        }
                    }
                    None => {
                        for member in schema["oneOf"].as_array().into_iter().flatten() {
                            schemas.push(spec.resolve(member));
                        }
                    }
                }
                i += 1;
                if schemas.len() > 400 {
                    break;
                }
            }
            for (key, child) in object {
                let properties: Vec<&Value> = schemas
                    .iter()
                    .filter_map(|s| {
                        s.pointer(&format!(
                            "/properties/{}",
                            key.replace('~', "~0").replace('/', "~1")
                        ))
                    })
                    .collect();
                let Some(first) = properties.first() else {
                    continue;
                };
                let read_only =
                    |p: &&Value| p["readOnly"] == true || spec.resolve(p)["readOnly"] == true;
                if properties.iter().all(read_only) {
                    out.push(format!("`{path}/{key}`"));
                }
                find_read_only(spec, first, child, &format!("{path}/{key}"), out, depth + 1);
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = node.get("items") {
                for (i, item) in items.iter().enumerate() {
                    find_read_only(
                        spec,
                        item_schema,
                        item,
                        &format!("{path}/{i}"),
                        out,
                        depth + 1,
                    );
                }
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// The sandbox's answers, held against the spec.

/// The schema of an operation's success answer in `version`, and where it is in the spec.
fn answer_schema<'a>(
    spec: &'a Spec,
    operation_id: &str,
    version: &str,
) -> Option<(String, &'a Value)> {
    for (path, item) in spec.root["paths"].as_object()? {
        for (method, op) in item.as_object()? {
            if op["operationId"] != operation_id {
                continue;
            }
            for (code, media, node) in success_media(spec, op) {
                if parse_media(media).is_some_and(|(v, _)| v == version) {
                    let at = format!("{path} {method} {code} {media}");
                    return node.get("schema").map(|schema| (at, schema));
                }
            }
        }
    }
    None
}

#[test]
fn every_sandbox_answer_is_valid_for_the_spec() {
    let Some(spec) = spec() else { return };
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // Every operation the engine serves, with a valid request: its answers are recorded.
    let answers = runtime.block_on(async {
        let sandbox = atlas_endpoints_sandbox::Sandbox::builder()
            .example_data(true)
            .start()
            .await
            .expect("a sandbox");
        let client = reqwest::Client::new();
        for example in atlas_endpoints_sandbox::example_requests() {
            let url = format!("{}{}", sandbox.base_url(), example.path_and_query());
            let mut request = client
                .request(example.method.parse().expect("a method"), url)
                .bearer_auth(sandbox.token());
            for (name, value) in &example.headers {
                request = request.header(name.as_str(), value.as_str());
            }
            if let Some(body) = &example.body {
                request = request.body(body.clone());
            }
            request.send().await.expect("the sandbox answers");
        }
        sandbox.answers()
    });

    let mut defects = Defects {
        for_answers: true,
        ..Defects::default()
    };
    let mut definitions = component_definitions(spec, &mut defects);
    // Each answer's schema goes into the document too, where its `$ref`s resolve.
    let mut failures = Failures::default();
    let mut checked = Vec::new();
    for (index, answer) in answers.iter().enumerate() {
        let who = format!(
            "{} ({}, {})",
            answer.operation_id, answer.version, answer.status
        );
        let Some((at, schema)) = answer_schema(spec, &answer.operation_id, &answer.version) else {
            failures.push(format!("{who}: the spec has no answer schema for it"));
            continue;
        };
        let converted = convert(spec, schema, &at, None, &mut defects);
        definitions.insert(format!("a.{index}"), converted);
        checked.push((index, who, at, answer));
    }
    let converted = Converted::new(definitions);

    for (index, who, at, answer) in checked {
        let root = json!({ "$ref": format!("{DOCUMENT}#/definitions/a.{index}") });
        let validator = match converted.validator(&root) {
            Ok(validator) => validator,
            Err(error) => {
                failures.push(format!("{who}: its schema does not compile: {error}"));
                continue;
            }
        };
        let errors = refusals(&validator, &answer.body);
        let contradicting = CONTRADICTING_BASES
            .iter()
            .any(|base| at.contains(base) || who.contains(base));
        if !errors.is_empty() && !contradicting {
            failures.push(format!(
                "{who}: {}; JSON {}",
                errors.join("; "),
                short(&answer.body)
            ));
        }
    }
    assert!(
        answers.len() > 400,
        "only {} answers recorded",
        answers.len()
    );
    failures.finish(
        "sandbox answers",
        &format!(
            "{} answers of the engine, in {:.2?}",
            answers.len(),
            started.elapsed()
        ),
    );
}
