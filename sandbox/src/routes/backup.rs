//! The shape every backup route shares, whatever kind of deployment it
//! serves (a serverless instance, a Flex cluster): the guards, the
//! deployment's path parameters and lookup, then one of listing a page,
//! getting one item by id, or creating one from a JSON body. A route states
//! only what differs: its path, its list, its id, its errors.

use std::collections::BTreeMap;
use std::convert::Infallible;

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::checks::{self, ListParams, PathParams, QueryParams, Validator};
use crate::errors::ApiError;
use crate::render::Format;
use crate::seed::flex::{FlexRestoreJob, FlexSnapshot};
use crate::seed::{RestoreJob, ServerlessSnapshot};
use crate::state::{Clock, Data, Group, SharedState};

/// A kind of deployment with backups, as its routes see it.
pub(crate) trait Deployment: Sized {
    /// The media type (API version) its routes answer in and `Accept` must
    /// allow.
    const MEDIA_TYPE: &'static str;
    /// The path parameter naming the deployment (next to `groupId`).
    const NAME_PARAM: &'static str;

    /// The project's deployments of this kind, by name.
    fn in_group(group: &Group) -> &BTreeMap<String, Self>;
    fn in_group_mut(group: &mut Group) -> &mut BTreeMap<String, Self>;
    /// 404 for an unknown deployment of this kind.
    fn not_found(group_id: &str, name: &str) -> ApiError;
    /// A guard run between authentication and the version check; none
    /// unless the kind's API can be retired (410).
    fn available(_state: &SharedState) -> Result<(), ApiError> {
        Ok(())
    }
}

/// A listed resource that a route can get by its id.
pub(crate) trait Identified {
    fn id(&self) -> &str;
}

/// Implements [`Identified`] for resources whose id is their `id` field.
macro_rules! identified_by_id_field {
    ($($resource:ty),+ $(,)?) => {
        $(impl Identified for $resource {
            fn id(&self) -> &str {
                &self.id
            }
        })+
    };
}

identified_by_id_field!(RestoreJob, ServerlessSnapshot, FlexRestoreJob, FlexSnapshot);

/// A route that gets one item of a deployment's list by its id.
pub(crate) struct ItemRoute<D, T> {
    /// The route's path template.
    template: &'static str,
    /// The path parameter holding the item's id.
    id_param: &'static str,
    /// Whether the spec gives the operation `pretty`; where it does not,
    /// `pretty` is an unknown parameter and ignored.
    pretty: bool,
    /// The list the item is in.
    items: fn(&D) -> &[T],
    /// 404 for an unknown id, from the deployment's name and the id.
    not_found: fn(&str, &str) -> ApiError,
}

impl<D, T> ItemRoute<D, T> {
    /// One restore job (`restoreJobId`) of the deployment's `restore_jobs`
    /// at `template`.
    pub(crate) fn restore_job(template: &'static str, restore_jobs: fn(&D) -> &[T]) -> Self {
        ItemRoute {
            template,
            id_param: "restoreJobId",
            pretty: true,
            items: restore_jobs,
            not_found: ApiError::restore_job_not_found,
        }
    }

    /// One snapshot (`snapshotId`) of the deployment's `snapshots` at
    /// `template`.
    pub(crate) fn snapshot(template: &'static str, snapshots: fn(&D) -> &[T]) -> Self {
        ItemRoute {
            template,
            id_param: "snapshotId",
            // The spec gives these operations no `pretty`: it is ignored.
            pretty: false,
            items: snapshots,
            not_found: ApiError::snapshot_not_found,
        }
    }
}

/// Where a created item goes: the sandbox's own address (for its links), and
/// the project and name of its deployment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site<'a> {
    pub base_url: &'a str,
    pub group_id: &'a str,
    pub name: &'a str,
}

/// What a backup route reads of its request. Every part is infallible to
/// extract, so this never rejects.
pub(crate) struct Call {
    state: SharedState,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    query: QueryParams,
}

impl FromRequestParts<SharedState> for Call {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &SharedState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Call {
            state: state.clone(),
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            headers: parts.headers.clone(),
            query: QueryParams::parse(parts.uri.query()),
        })
    }
}

impl Call {
    /// One page of a deployment's list (`items`) at `template`.
    pub(crate) fn list<D: Deployment, T: Serialize>(
        self,
        template: &'static str,
        items: fn(&D) -> &[T],
    ) -> Response {
        let format = Format::lenient(&self.query);
        let outcome = (|| {
            self.guard::<D>()?;
            let path = PathParams::extract(template, self.uri.path());
            let mut validator = Validator::default();
            let (group_id, name) = deployment_path::<D>(&path, &mut validator);
            let params = ListParams::validate(&self.query, &mut validator);
            validator.finish()?;

            let data = self.state.read();
            let deployment = find::<D>(&data, group_id, name)?;
            let quirk = self.state.faults.listing(params.items_per_page);
            // Both names passed validation, so they need no encoding.
            let canonical = template
                .replace("{groupId}", group_id)
                .replace(&format!("{{{}}}", D::NAME_PARAM), name);
            Ok(super::page(
                items(deployment),
                params,
                &self.state.base_url,
                &canonical,
                quirk,
            ))
        })();
        super::respond(outcome, D::MEDIA_TYPE, format)
    }

    /// The item of a deployment's list that `route` names by id.
    pub(crate) fn get_one<D: Deployment, T: Identified + Serialize>(
        self,
        route: ItemRoute<D, T>,
    ) -> Response {
        let lenient = Format::lenient(&self.query);
        let format = Format {
            pretty: route.pretty && lenient.pretty,
            ..lenient
        };
        let outcome = (|| {
            self.guard::<D>()?;
            let path = PathParams::extract(route.template, self.uri.path());
            let mut validator = Validator::default();
            let (group_id, name) = deployment_path::<D>(&path, &mut validator);
            let id = path.get(route.id_param);
            validator.object_id(route.id_param, id);
            validator.format_params(&self.query, route.pretty);
            validator.finish()?;

            let data = self.state.read();
            (route.items)(find::<D>(&data, group_id, name)?)
                .iter()
                .find(|item| item.id() == id)
                .map(super::to_json)
                .ok_or_else(|| (route.not_found)(name, id))
        })();
        super::respond_one(outcome, D::MEDIA_TYPE, format)
    }

    /// A `POST` at `template` whose JSON object body makes something of a
    /// deployment: `read` turns the body into a request, recording what it
    /// violates (it gets the `groupId` too); once every check passed, `make`
    /// acts on the deployment and answers the made item.
    pub(crate) async fn create<D: Deployment, R>(
        self,
        body: Body,
        template: &'static str,
        read: impl FnOnce(&Map<String, Value>, &mut Validator, &str) -> Option<R>,
        make: impl FnOnce(&mut D, Site<'_>, R) -> Result<Value, ApiError>,
    ) -> Response {
        let format = Format::lenient(&self.query);
        // The recorder already read the body within its limit.
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let outcome = (|| {
            self.guard::<D>()?;
            let path = PathParams::extract(template, self.uri.path());
            let mut validator = Validator::default();
            let (group_id, name) = deployment_path::<D>(&path, &mut validator);
            validator.format_params(&self.query, true);
            let requested = validator
                .json_object(&bytes)
                .and_then(|body| read(&body, &mut validator, group_id));
            let requested = validator.finish_with(requested)?;

            let mut data = self.state.write();
            let deployment = find_mut::<D>(&mut data, group_id, name)?;
            let site = Site {
                base_url: &self.state.base_url,
                group_id,
                name,
            };
            make(deployment, site, requested)
        })();
        super::respond_one(outcome, D::MEDIA_TYPE, format)
    }

    /// Authentication, then the kind's own guard (410 for a retired API),
    /// then the version (406): run before looking at any parameter.
    fn guard<D: Deployment>(&self) -> Result<(), ApiError> {
        self.state
            .auth
            .authenticate(&self.method, &self.uri, &self.headers)?;
        D::available(&self.state)?;
        checks::accept(&self.headers, D::MEDIA_TYPE)
    }
}

/// Validates `groupId` and the deployment's name (with whatever else
/// `validator` holds) and returns them.
fn deployment_path<'p, D: Deployment>(
    path: &'p PathParams,
    validator: &mut Validator,
) -> (&'p str, &'p str) {
    let group_id = path.get("groupId");
    let name = path.get(D::NAME_PARAM);
    validator.object_id("groupId", group_id);
    validator.cluster_name(D::NAME_PARAM, name);
    (group_id, name)
}

/// The deployment, or 404 for an unknown project or deployment.
fn find<'d, D: Deployment>(data: &'d Data, group_id: &str, name: &str) -> Result<&'d D, ApiError> {
    let group = data
        .groups
        .get(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?;
    D::in_group(group)
        .get(name)
        .ok_or_else(|| D::not_found(group_id, name))
}

/// [`find`], for a change.
fn find_mut<'d, D: Deployment>(
    data: &'d mut Data,
    group_id: &str,
    name: &str,
) -> Result<&'d mut D, ApiError> {
    let group = data
        .groups
        .get_mut(group_id)
        .ok_or_else(|| ApiError::group_not_found(group_id))?;
    D::in_group_mut(group)
        .get_mut(name)
        .ok_or_else(|| D::not_found(group_id, name))
}

/// Appends the job `make` builds at the deployment's next tick, and answers
/// its JSON.
pub(crate) fn push_job<T: Serialize>(
    clock: &mut Clock,
    jobs: &mut Vec<T>,
    make: impl FnOnce(i64, usize) -> T,
) -> Value {
    let (now, sequence) = clock.tick();
    let job = make(now, sequence);
    let json = super::to_json(&job);
    jobs.push(job);
    json
}
