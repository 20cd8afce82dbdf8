//! The engine: one handler that serves every operation of the generated tables, with
//! state.
//!
//! A request goes through, in Atlas's order: routing (404, 405), authentication (401,
//! unless the operation needs none), the version of `Accept` (406), the sunset when
//! emulated (410), the parameters and the body (400, every violation named, nothing
//! changed), the parents the path names (404 with the collection's error code), then the
//! operation's plan ([`resources::Plan`]) against the store. Answers are completed to
//! their schema ([`generate`]) and shaped by `pretty` and `envelope`.

pub(crate) mod examples;
mod generate;
mod lifecycle;
mod params;
mod patterns;
mod resources;
mod store;
pub(crate) mod tables;
mod template;
#[cfg(test)]
mod tests;
mod validate;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Map, Value};

use self::generate::{Facts, Maker};
use self::resources::{Plan, Plans};
use self::store::{Key, Store};
use self::tables::{Operation, Tables, Version};
use crate::auth::Auth;
use crate::checks::QueryParams;
use crate::errors::{ApiError, FieldViolation};
use crate::render::{self, Format};
use crate::seed::{encode_segment, rfc3339};

/// The API's path prefix, which store keys leave out.
const PREFIX: [&str; 3] = ["api", "atlas", "v2"];

/// The sandbox's date when its clock starts: 2026-12-01T00:00:00Z.
const EPOCH_SECS: i64 = 1_796_083_200;

/// The error codes of an unknown object, by its collection; others get
/// `RESOURCE_NOT_FOUND`.
const NOT_FOUND: &[(&str, &str)] = &[
    ("groups", "GROUP_NOT_FOUND"),
    ("orgs", "ORG_NOT_FOUND"),
    ("clusters", "CLUSTER_NOT_FOUND"),
    ("databaseUsers", "USERNAME_NOT_FOUND"),
];

/// The error codes of a create that names an object that exists, by collection; others
/// get `DUPLICATE_RESOURCE` (the sandbox's choice).
const DUPLICATE: &[(&str, &str)] = &[
    ("groups", "GROUP_ALREADY_EXISTS"),
    ("clusters", "DUPLICATE_CLUSTER_NAME"),
    ("flexClusters", "DUPLICATE_CLUSTER_NAME"),
    ("databaseUsers", "USER_ALREADY_EXISTS"),
];

/// Fields that must be unique among the children of one parent, besides the key: a
/// project's name within its organization.
const UNIQUE: &[(&str, &str)] = &[("groups", "name")];

/// The sandbox's time: tokio's clock (so paused test time moves it too) plus what tests
/// added with [`crate::Sandbox::advance`].
#[derive(Debug)]
pub(crate) struct Clock {
    start: tokio::time::Instant,
    added: Mutex<Duration>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            start: tokio::time::Instant::now(),
            added: Mutex::new(Duration::ZERO),
        }
    }

    /// How long the sandbox has run, on its clock.
    pub fn elapsed(&self) -> Duration {
        let added = *self.added.lock().unwrap_or_else(|e| e.into_inner());
        self.start.elapsed() + added
    }

    pub fn advance(&self, by: Duration) {
        let mut added = self.added.lock().unwrap_or_else(|e| e.into_inner());
        *added += by;
    }

    /// Now, in seconds since 1970.
    fn now_secs(&self) -> i64 {
        EPOCH_SECS.saturating_add(i64::try_from(self.elapsed().as_secs()).unwrap_or(i64::MAX / 2))
    }
}

/// The engine's configuration and state.
pub(crate) struct Engine {
    tables: &'static Tables,
    plans: Plans,
    store: Mutex<Store>,
    pub clock: Clock,
    base_url: String,
    auth: Arc<Auth>,
    emulate_sunset: bool,
    answers: Mutex<Vec<crate::EngineAnswer>>,
}

/// How many answers [`Engine::answers`] keeps (the oldest go first).
const MAX_ANSWERS: usize = 10_000;

/// The decoded values of a path's parameters, by name.
type PathValues = Vec<(String, String)>;

/// Objects the engine holds before any request: `(path after /api/atlas/v2, object)`, its
/// segments percent-encoded.
pub(crate) type Seed = Vec<(String, Value)>;

impl Engine {
    pub fn new(base_url: String, auth: Arc<Auth>, emulate_sunset: bool, seed: Seed) -> Engine {
        let tables = tables::tables();
        let mut store = Store::default();
        for (path, value) in seed {
            let key: Key = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|segment| crate::checks::percent_decode(segment, false))
                .collect();
            // The first object given for a path wins: the default data over examples.
            if !store.contains(&key) {
                store.put(key, value, None);
            }
        }
        Engine {
            tables,
            plans: resources::plan(tables),
            store: Mutex::new(store),
            clock: Clock::new(),
            base_url,
            auth,
            emulate_sunset,
            answers: Mutex::new(Vec::new()),
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The operation a method and raw path name (its index and the path's values): the
    /// most specific template that fits. `Err(true)` when the path fits another method.
    fn route(&self, method: &Method, raw: &[&str]) -> Result<(usize, PathValues), bool> {
        let mut best: Option<(usize, usize, PathValues)> = None;
        let mut path_known = false;
        for (index, op) in self.tables.operations.iter().enumerate() {
            let Some((score, values)) = op.template.matches(raw) else {
                continue;
            };
            path_known = true;
            if op.method != method.as_str() {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(best_score, _, _)| score > *best_score)
            {
                best = Some((score, index, values));
            }
        }
        best.map(|(_, index, values)| (index, values))
            .ok_or(path_known)
    }
}

/// The request as the handler sees it.
struct Request<'a> {
    op: &'a Operation,
    plan: &'a Plan,
    version: &'a Version,
    key: Key,
    path: String,
    params: Vec<(String, String)>,
    query: QueryParams,
    body: Option<Value>,
    format: Format,
}

/// Serves any request no hand-written route took.
pub(crate) async fn serve(
    State(engine): State<Arc<Engine>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = QueryParams::parse(uri.query());
    let format = Format::lenient(&query);
    match engine.answer(&method, &uri, &headers, &body, query, format) {
        Ok(response) => response,
        Err(error) => render::error(error, format),
    }
}

impl Engine {
    fn answer(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        query: QueryParams,
        format: Format,
    ) -> Result<Response, ApiError> {
        let raw = template::split(uri.path());
        let (index, params) = match self.route(method, &raw) {
            Ok(found) => found,
            Err(true) => return Err(ApiError::method_not_allowed(method.as_str(), uri.path())),
            Err(false) => return Err(ApiError::unknown_route(method.as_str(), uri.path())),
        };
        let op = &self.tables.operations[index];
        if op.auth {
            self.auth.authenticate(method, uri, headers)?;
        }
        let version =
            params::version(op, headers).map_err(|offered| not_acceptable(headers, &offered))?;
        if self.emulate_sunset {
            if let Some(sunset) = &version.sunset {
                if sunset.as_str() <= rfc3339(self.clock.now_secs()).as_str() {
                    return Err(gone(sunset));
                }
            }
        }
        let raw_params = raw_values(op, &raw);
        let (mut violations, values) =
            params::check_params(self.tables, op, &params, &raw_params, &query, headers);
        params::content_type_fits(version, headers)
            .map_err(|media| unsupported(&media, version))?;
        let patch = op.method == "PATCH";
        let body = match params::check_body(self.tables, version, patch, body) {
            Ok(body) => body,
            Err(found) => {
                violations.extend(found);
                None
            }
        };
        if !violations.is_empty() {
            return Err(ApiError::validation(
                violations
                    .into_iter()
                    .map(|v| FieldViolation {
                        field: v.field,
                        description: v.description,
                    })
                    .collect(),
                values,
            ));
        }
        let key: Key = raw
            .iter()
            .skip(PREFIX.len())
            .map(|segment| crate::checks::percent_decode(segment, false))
            .collect();
        let request = Request {
            op,
            plan: &self.plans.plans[index],
            version,
            key,
            path: uri.path().to_owned(),
            params,
            query,
            body,
            format,
        };
        let mut store = self.store();
        store.settle(self.clock.elapsed());
        self.parents_exist(&store, &request)?;
        self.run(&mut store, &request)
    }

    /// 404 when the path names a parent that holds state and does not exist.
    fn parents_exist(&self, store: &Store, request: &Request<'_>) -> Result<(), ApiError> {
        let segments = &request.op.template.segments;
        for end in (PREFIX.len() + 1)..segments.len() {
            let template = format!("/{}", render_template(&segments[..end]));
            if !self.plans.stateful.contains(&template) {
                continue;
            }
            let key: Key = request.key[..end - PREFIX.len()].to_vec();
            if !store.contains(&key) {
                let parent = template::Template {
                    segments: segments[..end].to_vec(),
                };
                return Err(not_found(&last_literal(&parent), &key));
            }
        }
        Ok(())
    }

    fn facts(&self, store: &mut Store, request: &Request<'_>) -> Facts {
        let item = if request.op.template.ends_in_param() {
            request.params.last().cloned()
        } else {
            None
        };
        Facts {
            params: request.params.clone(),
            item,
            id: store.new_id(),
            now: rfc3339(self.clock.now_secs()),
            href: format!("{}{}", self.base_url, request.path),
        }
    }

    fn run(&self, store: &mut Store, request: &Request<'_>) -> Result<Response, ApiError> {
        let now = self.clock.elapsed();
        let collection = collection_path(request.op);
        let answer_schema = request.version.answer.clone().unwrap_or(Value::Null);
        match request.plan {
            Plan::Create { fields } => self.create(store, request, fields),
            Plan::Put | Plan::Replace { .. } | Plan::WriteSingleton { .. } => {
                let merge = matches!(request.plan, Plan::WriteSingleton { merge: true });
                let facts = self.facts(store, request);
                let mut value = match store.get(&request.key) {
                    Some(old) if merge => old.value.clone(),
                    Some(old) => keep_read_only(self.tables, &old.value, &answer_schema),
                    None => Value::Object(Map::new()),
                };
                let existed = store.contains(&request.key);
                merge_patch(&mut value, request.body.clone().unwrap_or(Value::Null));
                self.maker(&facts).complete(&mut value, &answer_schema);
                let phase = lifecycle::of(&collection).and_then(|l| {
                    if existed {
                        lifecycle::Phase::updating(l, now)
                    } else {
                        Some(lifecycle::Phase::creating(l, now))
                    }
                });
                set_state(&mut value, phase.as_ref(), now);
                store.put(request.key.clone(), value.clone(), phase);
                Ok(self.respond(request, value))
            }
            Plan::List { depth } => {
                let facts = self.facts(store, request);
                let children: Vec<Value> = store
                    .children(&request.key, *depth)
                    .into_iter()
                    .map(|stored| stored.value.clone())
                    .collect();
                Ok(self.list(request, &facts, children))
            }
            Plan::Read { stateful } | Plan::Merge { stateful } | Plan::Delete { stateful } => {
                let facts = self.facts(store, request);
                let stored = store.get(&request.key).map(|s| s.value.clone());
                let mut value = match stored {
                    Some(value) => value,
                    None if *stateful => {
                        let name = last_literal(&request.op.template);
                        return Err(not_found(&name, &request.key));
                    }
                    None => self.maker(&facts).sample(&answer_schema),
                };
                match request.plan {
                    Plan::Merge { .. } => {
                        merge_patch(&mut value, request.body.clone().unwrap_or(Value::Null));
                        self.maker(&facts).complete(&mut value, &answer_schema);
                        if *stateful {
                            let phase = lifecycle::of(&collection)
                                .and_then(|l| lifecycle::Phase::updating(l, now));
                            set_state(&mut value, phase.as_ref(), now);
                            store.put(request.key.clone(), value.clone(), phase);
                        }
                    }
                    Plan::Delete { .. } => {
                        let phase = lifecycle::of(&collection)
                            .and_then(|l| lifecycle::Phase::deleting(l, now));
                        match phase {
                            Some(phase) if *stateful => {
                                if let Some(stored) = store.get_mut(&request.key) {
                                    set_state(&mut stored.value, Some(&phase), now);
                                    stored.phase = Some(phase);
                                }
                            }
                            _ => store.remove_tree(&request.key),
                        }
                        let sample = self.maker(&facts).sample(&answer_schema);
                        return Ok(self.respond(request, sample));
                    }
                    _ => {
                        self.maker(&facts).complete(&mut value, &answer_schema);
                        // What was filled in (an id, a date) stays as it was first shown.
                        if let Some(stored) = store.get_mut(&request.key) {
                            stored.value = value.clone();
                        }
                    }
                }
                Ok(self.respond(request, value))
            }
            Plan::ReadSingleton | Plan::Action => {
                let facts = self.facts(store, request);
                let mut value = match store.get(&request.key) {
                    Some(stored) if *request.plan == Plan::ReadSingleton => stored.value.clone(),
                    _ => self.maker(&facts).sample(&answer_schema),
                };
                self.maker(&facts).complete(&mut value, &answer_schema);
                Ok(self.respond(request, value))
            }
            Plan::DeleteSingleton => {
                let facts = self.facts(store, request);
                store.remove_tree(&request.key);
                let sample = self.maker(&facts).sample(&answer_schema);
                Ok(self.respond(request, sample))
            }
        }
    }

    fn create(
        &self,
        store: &mut Store,
        request: &Request<'_>,
        fields: &[Option<String>],
    ) -> Result<Response, ApiError> {
        let now = self.clock.elapsed();
        let collection = collection_path(request.op);
        let answer_schema = request.version.answer.clone().unwrap_or(Value::Null);
        let page_answer = is_page(self.tables, &answer_schema);
        let item_schema = if page_answer {
            page_items(self.tables, &answer_schema).unwrap_or(Value::Null)
        } else {
            answer_schema.clone()
        };
        let entries = match request.body.clone() {
            Some(Value::Array(entries)) => entries,
            Some(entry) => vec![entry],
            None => vec![Value::Object(Map::new())],
        };
        let mut created = Vec::new();
        for mut entry in entries {
            let mut facts = self.facts(store, request);
            let mut key = request.key.clone();
            for field in fields {
                let name = match field {
                    Some(alternatives) => alternatives
                        .split('|')
                        .find_map(|field| {
                            entry.get(field).and_then(Value::as_str).map(str::to_owned)
                        })
                        // An id Atlas assigns even where the body may carry one.
                        .or_else(|| id_like(alternatives).then(|| facts.id.clone()))
                        .ok_or_else(|| {
                            ApiError::invalid_field(
                                alternatives,
                                Value::Null,
                                format!(
                                    "{} is required to name the new object",
                                    alternatives.replace('|', " or ")
                                ),
                            )
                        })?,
                    None => facts.id.clone(),
                };
                key.push(name);
            }
            if store.contains(&key) {
                return Err(duplicate(&last_literal(&request.op.template), &key));
            }
            for (unique_collection, field) in UNIQUE {
                if last_literal(&request.op.template) != *unique_collection {
                    continue;
                }
                let wanted = entry.get(*field);
                let clash = store
                    .children(&request.key, 1)
                    .iter()
                    .any(|sibling| wanted.is_some() && sibling.value.get(*field) == wanted);
                if clash {
                    return Err(duplicate(unique_collection, &key));
                }
            }
            // What the path would say of the new object (`clusterName`, `groupId`).
            if let Some(child) = self.child_template(request.op) {
                let names: Vec<&str> = child.param_names().collect();
                let own = request.op.template.param_names().count();
                for (name, value) in names
                    .iter()
                    .skip(own)
                    .zip(key.iter().skip(request.key.len()))
                {
                    facts.params.push(((*name).to_owned(), value.clone()));
                    facts.item = Some(((*name).to_owned(), value.clone()));
                }
            }
            facts.href = format!(
                "{}/{}",
                self.base_url,
                PREFIX
                    .iter()
                    .map(|s| s.to_string())
                    .chain(key.iter().map(|s| encode_segment(s)))
                    .collect::<Vec<_>>()
                    .join("/")
            );
            self.maker(&facts).complete(&mut entry, &item_schema);
            let phase = lifecycle::of(&collection).map(|l| lifecycle::Phase::creating(l, now));
            set_state(&mut entry, phase.as_ref(), now);
            store.put(key, entry.clone(), phase);
            created.push(entry);
        }
        if page_answer {
            let facts = self.facts(store, request);
            let children = store
                .children(&request.key, fields.len().max(1))
                .into_iter()
                .map(|stored| stored.value.clone())
                .collect();
            return Ok(self.list(request, &facts, children));
        }
        let value = created.pop().unwrap_or(Value::Null);
        Ok(self.respond(request, value))
    }

    /// The template of the children a create makes (`.../clusters/{clusterName}`).
    fn child_template(&self, op: &Operation) -> Option<template::Template> {
        self.tables
            .operations
            .iter()
            .filter(|other| {
                other.path.starts_with(&format!("{}/", op.path))
                    && other.template.ends_in_param()
                    && other.template.segments[op.template.segments.len()..]
                        .iter()
                        .all(|s| matches!(s, template::Segment::Param { prefix, suffix, .. } if prefix.is_empty() && suffix.is_empty()))
            })
            .map(|other| other.template.clone())
            .min_by_key(|t| t.segments.len())
    }

    fn maker<'a>(&'a self, facts: &'a Facts) -> Maker<'a> {
        Maker {
            tables: self.tables,
            facts,
            direction: validate::Direction::Response,
        }
    }

    /// A page of `children` (or, for a list answered as a plain array, all of them).
    fn list(&self, request: &Request<'_>, facts: &Facts, children: Vec<Value>) -> Response {
        let answer_schema = request.version.answer.clone().unwrap_or(Value::Null);
        let maker = self.maker(facts);
        let Some(item_schema) = page_items(self.tables, &answer_schema) else {
            let mut value =
                if self.tables.resolve(&answer_schema).get("type") == Some(&json!("array")) {
                    Value::Array(children)
                } else {
                    maker.sample(&answer_schema)
                };
            maker.complete(&mut value, &answer_schema);
            return self.respond(request, value);
        };
        let number = |name: &str, default: usize| {
            request
                .query
                .first(name)
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(default)
        };
        let per_page = number("itemsPerPage", 100).max(1);
        let page_num = number("pageNum", 1).max(1);
        let total = children.len();
        let start = (page_num - 1).saturating_mul(per_page).min(total);
        let end = start.saturating_add(per_page).min(total);
        let results: Vec<Value> = children[start..end]
            .iter()
            .cloned()
            .map(|mut item| {
                maker.complete(&mut item, &item_schema);
                item
            })
            .collect();
        let href = |page: usize| {
            format!(
                "{}{}?pageNum={page}&itemsPerPage={per_page}",
                self.base_url, request.path
            )
        };
        let mut links = vec![json!({"href": href(page_num), "rel": "self"})];
        if page_num > 1 {
            links.push(json!({"href": href(page_num - 1), "rel": "previous"}));
        }
        if end < total {
            links.push(json!({"href": href(page_num + 1), "rel": "next"}));
        }
        let mut page = json!({ "links": links, "results": results });
        if request.query.first("includeCount") != Some("false") {
            page["totalCount"] = json!(total);
        }
        maker.complete(&mut page, &answer_schema);
        let status = StatusCode::from_u16(request.version.status).unwrap_or(StatusCode::OK);
        self.record(request, status, &page);
        render::object(status, &request.version.media_type(), page, request.format)
    }

    /// Keeps a JSON success answer for [`crate::Sandbox::answers`].
    fn record(&self, request: &Request<'_>, status: StatusCode, body: &Value) {
        let mut answers = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        if answers.len() >= MAX_ANSWERS {
            answers.remove(0);
        }
        answers.push(crate::EngineAnswer {
            operation_id: request.op.id.clone(),
            version: request.version.version.clone(),
            status: status.as_u16(),
            body: body.clone(),
        });
    }

    /// The JSON success answers given so far, oldest first.
    pub fn answers(&self) -> Vec<crate::EngineAnswer> {
        self.answers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The success answer of the request's version.
    fn respond(&self, request: &Request<'_>, value: Value) -> Response {
        let status = StatusCode::from_u16(request.version.status).unwrap_or(StatusCode::OK);
        // What is stored at a path is an object; some answers there are not (a certificate
        // as text, a flag as a boolean): those are made up.
        let answer = request
            .version
            .answer
            .as_ref()
            .map(|s| self.tables.resolve(s));
        let declared = answer.and_then(|s| s.get("type")).and_then(Value::as_str);
        let value = match declared {
            Some(kind) if kind != "object" && value.is_object() => {
                let facts = Facts::default();
                self.maker(&facts).sample(answer.unwrap_or(&Value::Null))
            }
            _ => value,
        };
        let media = request.version.media_type();
        match request.version.format.as_str() {
            "gzip" => bytes(status, &media, EMPTY_GZIP.to_vec()),
            "csv" => bytes(status, &media, b"sandbox\n".to_vec()),
            "xml" => bytes(
                status,
                &media,
                b"<?xml version=\"1.0\"?><sandbox/>".to_vec(),
            ),
            _ if status == StatusCode::NO_CONTENT || request.version.answer.is_none() => {
                if request.format.envelope {
                    render::single(status, &media, Value::Null, request.format)
                } else {
                    bytes(status, &media, Vec::new())
                }
            }
            _ => {
                self.record(request, status, &value);
                render::single(status, &media, value, request.format)
            }
        }
    }
}

/// Whether a field names an id (`id`, `roleId`), which Atlas assigns when it is absent.
fn id_like(field: &str) -> bool {
    field == "id" || field.ends_with("Id")
}

/// A gzip file of nothing (RFC 1952: header, an empty deflate block, CRC and size 0).
const EMPTY_GZIP: &[u8] = &[
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
];

fn bytes(status: StatusCode, media: &str, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(media) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// The raw (still encoded) values of the path's parameters.
fn raw_values(op: &Operation, raw: &[&str]) -> Vec<(String, String)> {
    op.template
        .segments
        .iter()
        .zip(raw)
        .filter_map(|(segment, raw)| match segment {
            template::Segment::Param {
                prefix,
                name,
                suffix,
            } => Some((
                name.clone(),
                raw.strip_prefix(prefix.as_str())
                    .and_then(|r| r.strip_suffix(suffix.as_str()))
                    .unwrap_or(raw)
                    .to_owned(),
            )),
            template::Segment::Literal(_) => None,
        })
        .collect()
}

fn render_template(segments: &[template::Segment]) -> String {
    segments
        .iter()
        .map(|segment| match segment {
            template::Segment::Literal(text) => text.clone(),
            template::Segment::Param {
                prefix,
                name,
                suffix,
            } => format!("{prefix}{{{name}}}{suffix}"),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The path template of the collection an operation works on: its own path, less the
/// parameter that names one object.
fn collection_path(op: &Operation) -> String {
    if op.template.ends_in_param() {
        op.path
            .rsplit_once('/')
            .map_or(op.path.clone(), |(collection, _)| collection.to_owned())
    } else {
        op.path.clone()
    }
}

/// The last literal segment of a template (`clusters` for `.../clusters/{clusterName}`).
fn last_literal(template: &template::Template) -> String {
    template
        .segments
        .iter()
        .rev()
        .find_map(|segment| match segment {
            template::Segment::Literal(text) => Some(text.clone()),
            template::Segment::Param { .. } => None,
        })
        .unwrap_or_default()
}

fn is_page(tables: &Tables, schema: &Value) -> bool {
    page_items(tables, schema).is_some()
}

/// The item schema of a `{links, results, totalCount}` page.
fn page_items(tables: &Tables, schema: &Value) -> Option<Value> {
    let page = tables.resolve(schema);
    let properties = page.get("properties")?.as_object()?;
    let results = tables.resolve(properties.get("results")?);
    (results.get("type")? == "array").then(|| results.get("items").cloned())?
}

/// RFC 7386: objects merge field by field, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(&key);
                } else {
                    merge_patch(target.entry(key).or_insert(Value::Null), value);
                }
            }
        }
        (_, Value::Null) => {}
        (target, patch) => *target = patch,
    }
}

/// The read-only fields of `old` (its id, dates, links), which a `PUT` keeps.
fn keep_read_only(tables: &Tables, old: &Value, schema: &Value) -> Value {
    let properties = tables
        .resolve(schema)
        .get("properties")
        .and_then(Value::as_object);
    let mut kept = Map::new();
    if let (Value::Object(old), Some(properties)) = (old, properties) {
        for (name, value) in old {
            let read_only = properties
                .get(name)
                .map(|p| tables.resolve(p).get("readOnly") == Some(&json!(true)))
                .unwrap_or(false);
            if read_only {
                kept.insert(name.clone(), value.clone());
            }
        }
    }
    Value::Object(kept)
}

/// Writes the phase's current state into the object's state field.
fn set_state(value: &mut Value, phase: Option<&lifecycle::Phase>, now: Duration) {
    let Some(phase) = phase else { return };
    if let (Some(state), Value::Object(map)) = (lifecycle::state_at(phase, now), value) {
        map.insert(phase.lifecycle.field.to_owned(), json!(state));
    }
}

fn not_found(collection: &str, key: &Key) -> ApiError {
    let code = NOT_FOUND
        .iter()
        .find(|(name, _)| *name == collection)
        .map_or(crate::error_codes::RESOURCE_NOT_FOUND, |(_, code)| *code);
    let name = key.last().map(String::as_str).unwrap_or("");
    ApiError::new(
        StatusCode::NOT_FOUND,
        code,
        format!(
            "No {collection} object named `{}` exists.",
            validate::shorten(name)
        ),
    )
    .with_parameter(collection, name)
}

fn duplicate(collection: &str, key: &Key) -> ApiError {
    let code = DUPLICATE
        .iter()
        .find(|(name, _)| *name == collection)
        .map_or("DUPLICATE_RESOURCE", |(_, code)| *code);
    let name = key.last().map(String::as_str).unwrap_or("");
    ApiError::new(
        StatusCode::CONFLICT,
        code,
        format!(
            "A {collection} object named `{}` already exists.",
            validate::shorten(name)
        ),
    )
    .with_parameter(collection, name)
}

fn not_acceptable(headers: &HeaderMap, offered: &[String]) -> ApiError {
    let received: Vec<String> = headers
        .get_all(header::ACCEPT)
        .iter()
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .collect();
    let received = if received.is_empty() {
        "no Accept header".to_owned()
    } else {
        format!("`{}`", validate::shorten(&received.join(", ")))
    };
    let mut error = ApiError::new(
        StatusCode::NOT_ACCEPTABLE,
        crate::error_codes::INVALID_VERSION_DATE,
        format!(
            "This resource is served as {}; the request sent {received}.",
            offered.join(" or ")
        ),
    );
    for media in offered {
        error = error.with_parameter("acceptedMediaType", media.as_str());
    }
    error
}

fn unsupported(media: &str, version: &Version) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "INVALID_MEDIA_TYPE",
        format!(
            "The body is sent as `{}`, but the version asked for takes `{}`.",
            validate::shorten(media),
            version.media_type()
        ),
    )
}

fn gone(sunset: &str) -> ApiError {
    let mut error = ApiError::new(
        StatusCode::GONE,
        crate::error_codes::VERSION_GONE,
        format!("This version of the resource was retired on {sunset}."),
    );
    if let Ok(value) = HeaderValue::from_str(sunset) {
        error = error.with_header(header::HeaderName::from_static("sunset"), value);
    }
    error
}
