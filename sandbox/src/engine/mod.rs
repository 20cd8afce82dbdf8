//! The engine: one handler that serves every operation of the generated tables, with
//! state.
//!
//! A request goes through, in Atlas's order: routing (404, 405), authentication (401,
//! unless the operation needs none), the version of `Accept` (406), the sunset when
//! emulated (410), the parameters and the body (400, every violation named, nothing
//! changed), the parents the path names (404 with the collection's error code), then the
//! operation's plan ([`resources::Plan`]) against the store. Answers are completed to
//! their schema ([`generate`]) and shaped by `pretty` and `envelope`.

mod aliases;
mod backups;
mod controls;
pub(crate) mod examples;
mod generate;
mod lifecycle;
mod pages;
mod params;
mod patterns;
mod resources;
mod store;
pub(crate) mod tables;
mod template;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod unit_tests {
    #[test]
    fn sunset_dates_are_http_dates() {
        assert_eq!(
            super::http_date("2026-01-22").as_deref(),
            Some("Thu, 22 Jan 2026 00:00:00 GMT")
        );
        assert_eq!(
            super::http_date("2027-03-01").as_deref(),
            Some("Mon, 01 Mar 2027 00:00:00 GMT")
        );
        assert_eq!(super::http_date("2026-13-01"), None);
        assert_eq!(super::http_date("soon"), None);
    }
}
mod validate;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Map, Value};

use self::backups::Backups;
use self::generate::{Facts, Maker};
use self::resources::{Plan, Plans};
use self::store::{Key, Store};
use self::tables::{Operation, Tables, Version};
use crate::auth::Auth;
use crate::checks::QueryParams;
use crate::errors::{ApiError, FieldViolation};
use crate::faults::Faults;
use crate::render::{self, Format};
use crate::seed::{encode_segment, rfc3339};
use crate::state::{FlexSeed, InstanceSeed};

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
        seconds_at(self.elapsed())
    }
}

/// The Unix second a time on the sandbox's clock is.
fn seconds_at(elapsed: Duration) -> i64 {
    EPOCH_SECS.saturating_add(i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX / 2))
}

/// A time on the sandbox's clock as ISO 8601 (`2026-12-01T00:00:20Z`).
fn date_at(elapsed: Duration) -> String {
    rfc3339(seconds_at(elapsed))
}

/// What a sandbox gives its engine.
pub(crate) struct EngineConfig {
    pub base_url: String,
    pub auth: Arc<Auth>,
    pub faults: Faults,
    /// Answer 410 for versions past their sunset.
    pub emulate_sunset: bool,
    /// Objects to hold from the start.
    pub seed: Seed,
    /// Serverless instances and Flex clusters with backups.
    pub with_backups: (Vec<InstanceSeed>, Vec<FlexSeed>),
}

/// The engine's configuration and state.
pub(crate) struct Engine {
    tables: &'static Tables,
    plans: Plans,
    store: Mutex<Store>,
    backups: Mutex<Backups>,
    faults: Faults,
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
    pub fn new(config: EngineConfig) -> Engine {
        let tables = tables::tables();
        let mut plans = resources::plan(tables);
        let (instances, flex_clusters) = &config.with_backups;
        let (backups, backup_objects) = Backups::seed(&config.base_url, instances, flex_clusters);
        plans
            .stateful_shapes
            .extend(backups::STATEFUL.iter().map(|shape| shape.to_string()));
        for (index, op) in tables.operations.iter().enumerate() {
            if plans.stateful_shapes.contains(&resources::shape(&op.path)) {
                plans.plans[index].make_stateful();
            }
        }
        let mut store = Store::default();
        let mut seen_collections = std::collections::HashSet::new();
        for (path, value) in config.seed.into_iter().chain(backup_objects) {
            let key: Key = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|segment| crate::checks::percent_decode(segment, false))
                .collect();
            // What the data holds exists only once made: an unknown one is a 404, even
            // where no operation creates such objects (a serverless instance, a snapshot).
            // Objects of one collection fit the same templates: look once.
            let collection = key[..key.len().saturating_sub(1)].to_vec();
            let first_of_collection = seen_collections.insert(collection);
            for (index, op) in tables
                .operations
                .iter()
                .enumerate()
                .filter(|_| first_of_collection)
            {
                let fits = op.template.ends_in_param()
                    && op.template.segments.len() == key.len() + PREFIX.len()
                    && op.template.segments[PREFIX.len()..].iter().zip(&key).all(
                        |(segment, part)| match segment {
                            template::Segment::Literal(text) => text == part,
                            template::Segment::Param { prefix, suffix, .. } => {
                                prefix.is_empty() && suffix.is_empty()
                            }
                        },
                    );
                if fits {
                    plans.stateful.insert(op.path.clone());
                    plans.plans[index].make_stateful();
                }
            }
            // The first object given for a path wins: the default data over examples.
            if !store.contains(&key) {
                store.put(key, value, None, Duration::ZERO);
            }
        }
        Engine {
            tables,
            plans,
            store: Mutex::new(store),
            backups: Mutex::new(backups),
            clock: Clock::new(),
            base_url: config.base_url,
            auth: config.auth,
            faults: config.faults,
            emulate_sunset: config.emulate_sunset,
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

/// 405 `METHOD_NOT_ALLOWED` for a path of an added route with another method.
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let format = Format::lenient(&QueryParams::parse(uri.query()));
    render::error(
        ApiError::method_not_allowed(method.as_str(), uri.path()),
        format,
    )
}

/// Serves every request of the API.
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
        let mut values = values;
        let mut behaviour_fields = Vec::new();
        let mut requested = None;
        let body = if backups::OPERATIONS.contains(&op.id.as_str()) {
            // These bodies follow rules the spec does not state: the module reads them.
            let group_id = param_value(&params, "groupId");
            match Backups::read(&op.id, body, group_id) {
                Ok(read) => requested = Some(read),
                Err((fields, found)) => {
                    behaviour_fields = fields;
                    values.extend(found);
                }
            }
            None
        } else {
            let patch = op.method == "PATCH";
            match params::check_body(self.tables, version, patch, body) {
                Ok(body) => body,
                Err(mut found) => {
                    found.sort_by(|a, b| a.field.cmp(&b.field));
                    // `parameters` names each field too, as Atlas's INVALID_ATTRIBUTE does.
                    values.extend(
                        found
                            .iter()
                            .map(|v| json!({ v.field.as_str(): Value::Null })),
                    );
                    violations.extend(found);
                    None
                }
            }
        };
        if !violations.is_empty() || !behaviour_fields.is_empty() {
            let mut fields: Vec<FieldViolation> = violations
                .into_iter()
                .map(|v| FieldViolation {
                    field: v.field,
                    description: v.description,
                })
                .collect();
            fields.extend(behaviour_fields);
            return Err(ApiError::validation(fields, values));
        }
        let key: Key = raw
            .iter()
            .skip(PREFIX.len())
            .map(|segment| crate::checks::percent_decode(segment, false))
            .collect();
        // `pretty` is applied where the operation defines it, as Atlas does.
        let format = Format {
            pretty: format.pretty && op.params.iter().any(|p| p.name == "pretty"),
            ..format
        };
        let mut request = Request {
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
        // A path that names an object stored under another path reaches that object.
        request.key = store.resolve(&request.key);
        if let Some(requested) = requested {
            let mut backups = self.backups.lock().unwrap_or_else(|e| e.into_inner());
            let group_id = param_value(&request.params, "groupId");
            let name = request
                .params
                .last()
                .map_or("", |(_, value)| value.as_str());
            let (at, mut job) =
                backups.create(&mut store, &request.key, group_id, name, requested)?;
            let now = self.clock.elapsed();
            if let Some(lifecycle) = lifecycle::of(&collection_path(request.op)) {
                store.set_phase(&at, lifecycle::Phase::creating(lifecycle, now), now);
                job = store.get(&at).map_or(job, |stored| stored.value.clone());
            }
            return Ok(self.respond(&request, job));
        }
        self.run(&mut store, &request)
    }

    /// 404 when the path names a parent that holds state and does not exist.
    fn parents_exist(&self, store: &Store, request: &Request<'_>) -> Result<(), ApiError> {
        let segments = &request.op.template.segments;
        for end in (PREFIX.len() + 1)..segments.len() {
            let template = format!("/{}", render_template(&segments[..end]));
            let stateful = self.plans.stateful.contains(&template)
                || self
                    .plans
                    .stateful_shapes
                    .contains(&resources::shape(&template));
            if !stateful {
                continue;
            }
            let key: Key = request.key[..end - PREFIX.len()].to_vec();
            if !store.contains(&key) {
                let parent = template::Template {
                    segments: segments[..end].to_vec(),
                };
                return Err(not_found(&parent, &key));
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
                // A body that is not an object (a list of roles) is not the object stored.
                if let Some(body @ Value::Object(_)) = &request.body {
                    merge_patch(&mut value, body.clone());
                }
                self.maker(&facts).complete(&mut value, &answer_schema);
                let body = request.body.clone().unwrap_or(Value::Null);
                let phase = lifecycle::of(&collection).and_then(|l| {
                    if existed {
                        lifecycle::Phase::changing(l, &body, now)
                    } else {
                        Some(lifecycle::Phase::creating(l, now))
                    }
                });
                store.put(request.key.clone(), value.clone(), phase, now);
                let value = store.get(&request.key).map_or(value, |s| s.value.clone());
                Ok(self.respond(request, value))
            }
            Plan::List { depth } => {
                let facts = self.facts(store, request);
                let key = self.plans.aliases.listed(&request.op.path, &request.key);
                self.complete_page(store, request, &key, &facts, *depth);
                let children: Vec<&Value> = store
                    .children(&key, *depth)
                    .into_iter()
                    .map(|stored| &stored.value)
                    .collect();
                Ok(self.list(request, &facts, &children))
            }
            Plan::Read { stateful } | Plan::Merge { stateful } | Plan::Delete { stateful } => {
                let facts = self.facts(store, request);
                let stored = store.get(&request.key).map(|s| s.value.clone());
                let mut value = match stored {
                    Some(value) => value,
                    None if *stateful => return Err(not_found(&request.op.template, &request.key)),
                    None => self.maker(&facts).sample(&answer_schema),
                };
                match request.plan {
                    Plan::Merge { .. } => {
                        merge_patch(&mut value, request.body.clone().unwrap_or(Value::Null));
                        self.maker(&facts).complete(&mut value, &answer_schema);
                        if *stateful {
                            let body = request.body.clone().unwrap_or(Value::Null);
                            let phase = lifecycle_of(store, &request.key, &collection)
                                .and_then(|l| lifecycle::Phase::changing(l, &body, now));
                            store.put(request.key.clone(), value.clone(), phase, now);
                            value = store.get(&request.key).map_or(value, |s| s.value.clone());
                        }
                    }
                    Plan::Delete { .. } => {
                        let phase = lifecycle_of(store, &request.key, &collection)
                            .and_then(|l| lifecycle::Phase::deleting(l, now));
                        match phase {
                            Some(phase) if *stateful => store.set_phase(&request.key, phase, now),
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
                if *request.plan == Plan::Action {
                    self.act(store, request, now)?;
                }
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

    /// Starts the phase an action (`...:start`) of a resource with a lifecycle starts;
    /// 404 when the resource does not exist.
    fn act(&self, store: &mut Store, request: &Request<'_>, now: Duration) -> Result<(), ApiError> {
        let Some(template::Segment::Param { prefix, suffix, .. }) =
            request.op.template.segments.last()
        else {
            return Ok(());
        };
        let collection = request.op.path.rsplit_once('/').map_or("", |(c, _)| c);
        let Some(lifecycle) = lifecycle::of(collection) else {
            return Ok(());
        };
        let Some(action) = lifecycle.action(suffix) else {
            return Ok(());
        };
        let mut key = request.key.clone();
        if let (Some(last), Some((_, value))) = (key.last_mut(), request.params.last()) {
            *last = value.clone();
        }
        let object = template::Template {
            segments: request.op.template.segments[..request.op.template.segments.len() - 1]
                .iter()
                .cloned()
                .chain([template::Segment::Param {
                    prefix: prefix.clone(),
                    name: request
                        .params
                        .last()
                        .map_or(String::new(), |(n, _)| n.clone()),
                    suffix: String::new(),
                }])
                .collect(),
        };
        if !store.contains(&key) {
            return Err(not_found(&object, &key));
        }
        // An object the data held from the start is in no lifecycle.
        let Some(current) = store.state_of(&key) else {
            return Ok(());
        };
        store.set_phase(
            &key,
            lifecycle::Phase::acting(lifecycle, current, action, now),
            now,
        );
        Ok(())
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
            aliases::Aliases::echo(&request.op.path, &mut entry);
            self.maker(&facts).complete(&mut entry, &item_schema);
            let (key, others) = self.plans.aliases.place(&request.op.path, key, &entry);
            for other in others {
                store.alias(other, key.clone());
            }
            let phase = lifecycle::of(&collection).map(|l| lifecycle::Phase::creating(l, now));
            store.put(key.clone(), entry.clone(), phase, now);
            created.push(store.get(&key).map_or(entry, |s| s.value.clone()));
        }
        if page_answer {
            let facts = self.facts(store, request);
            self.complete_page(store, request, &request.key, &facts, fields.len().max(1));
            let children: Vec<&Value> = store
                .children(&request.key, fields.len().max(1))
                .into_iter()
                .map(|stored| &stored.value)
                .collect();
            return Ok(self.list(request, &facts, &children));
        }
        let value = created.pop().unwrap_or(Value::Null);
        Ok(self.respond(request, value))
    }

    /// Completes the children a listing's page shows for its item schema, once per schema:
    /// a listing of 100,000 seeded jobs completes only the page asked for.
    fn complete_page(
        &self,
        store: &mut Store,
        request: &Request<'_>,
        key: &Key,
        facts: &Facts,
        depth: usize,
    ) {
        let answer_schema = request.version.answer.clone().unwrap_or(Value::Null);
        let Some(item_schema) = page_items(self.tables, &answer_schema) else {
            return;
        };
        let schema_text = item_schema.to_string();
        let params = pages::ListParams::of(&request.query);
        let keys: Vec<Key> = {
            let entries = store.child_entries(key, depth);
            let range = pages::served(entries.len(), params, self.faults.peek_listing());
            entries[range]
                .iter()
                .filter(|(_, stored)| stored.completed_for.as_deref() != Some(&schema_text))
                .map(|(key, _)| (*key).clone())
                .collect()
        };
        let maker = self.maker(facts);
        for key in keys {
            if let Some(stored) = store.get_mut(&key) {
                maker.complete(&mut stored.value, &item_schema);
                stored.completed_for = Some(schema_text.clone());
            }
        }
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
        Maker::new(self.tables, facts, validate::Direction::Response)
    }

    /// A page of `children` (or, for a list answered as a plain array, all of them).
    fn list(&self, request: &Request<'_>, facts: &Facts, children: &[&Value]) -> Response {
        let answer_schema = request.version.answer.clone().unwrap_or(Value::Null);
        let maker = self.maker(facts);
        if page_items(self.tables, &answer_schema).is_none() {
            let mut value =
                if self.tables.resolve(&answer_schema).get("type") == Some(&json!("array")) {
                    Value::Array(children.iter().map(|child| (*child).clone()).collect())
                } else {
                    maker.sample(&answer_schema)
                };
            maker.complete(&mut value, &answer_schema);
            return self.respond(request, value);
        }
        let params = pages::ListParams::of(&request.query);
        let quirk = self.faults.listing(params.items_per_page);
        let mut page = pages::page(children, params, &self.base_url, &request.path, quirk);
        // The items were completed where they are stored; the page's own fields are
        // completed without them.
        let results = page.as_object_mut().and_then(|map| map.remove("results"));
        maker.complete(&mut page, &answer_schema);
        if let (Some(results), Value::Object(map)) = (results, &mut page) {
            map.insert("results".to_owned(), results);
        }
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

/// The value of a path parameter, `""` when the path has none of that name.
fn param_value<'a>(params: &'a [(String, String)], name: &str) -> &'a str {
    params
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
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

/// The lifecycle of the object at `key`: the one it is in (also when a path of another
/// collection names it, as a search index by its names), or its collection's.
fn lifecycle_of(
    store: &Store,
    key: &Key,
    collection: &str,
) -> Option<&'static lifecycle::Lifecycle> {
    store
        .get(key)
        .and_then(|stored| stored.life)
        .map(|(lifecycle, _)| lifecycle)
        .or_else(|| lifecycle::of(collection))
}

/// 404 for the object a template's last parameter names: the collection's error code,
/// and the parameter with its value.
fn not_found(template: &template::Template, key: &Key) -> ApiError {
    let collection = last_literal(template);
    let code = NOT_FOUND
        .iter()
        .find(|(name, _)| *name == collection)
        .map_or(crate::error_codes::RESOURCE_NOT_FOUND, |(_, code)| *code);
    let param = template.param_names().last().unwrap_or("id");
    let value = key.last().map(String::as_str).unwrap_or("");
    ApiError::new(
        StatusCode::NOT_FOUND,
        code,
        format!(
            "No {collection} object with {param} `{}` exists.",
            validate::shorten(value)
        ),
    )
    .with_parameter(param, value)
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
    if let Some(value) = http_date(sunset).and_then(|date| HeaderValue::from_str(&date).ok()) {
        error = error.with_header(header::HeaderName::from_static("sunset"), value);
    }
    error
}

/// `2026-01-22` as an HTTP date (`Thu, 22 Jan 2026 00:00:00 GMT`), as the `Sunset` header
/// has it (RFC 8594).
fn http_date(date: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = date.splitn(3, '-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let weekday = DAYS[days.rem_euclid(7) as usize];
    let month_name = MONTHS[(month - 1) as usize];
    Some(format!(
        "{weekday}, {day:02} {month_name} {year} 00:00:00 GMT"
    ))
}
