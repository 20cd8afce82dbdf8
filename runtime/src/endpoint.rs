//! What the `#[atlas_endpoint]` attribute records about each declared endpoint.
//!
//! The attribute expands every declaration into one `static` [`Endpoint`] and one call into
//! the runtime, so the metadata is available at run time (for error messages, request
//! inspection and catalogs) without any per-call allocation.

use std::cell::RefCell;

use http::HeaderValue;
use rustc_hash::FxHashMap;

use crate::defaults::{DEFAULT_API_PREFIX, DEFAULT_VERSION};
use crate::pattern::Pattern;

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as it appears on the wire, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of a path template: literal text, or the value of a path parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Text copied to the URL as written in the template.
    Literal(&'static str),
    /// The value of `Endpoint::path_params()[index]`, validated and percent-encoded as one
    /// path segment.
    Param(usize),
}

/// A path parameter: a `<placeholder>` of the template and the argument bound to it.
#[derive(Debug)]
pub struct PathParam {
    name: &'static str,
    wire_name: &'static str,
    pattern: Option<&'static Pattern>,
    // Enums (`one_of(...)`).
    one_of: &'static [&'static str],
}

impl PathParam {
    /// The parameter of argument `name`, called `wire_name` in the spec, that takes any value
    /// (percent-encoded as one segment).
    pub const fn new(name: &'static str, wire_name: &'static str) -> Self {
        PathParam {
            name,
            wire_name,
            pattern: None,
            one_of: &[],
        }
    }

    /// The parameter of argument `name`, called `wire_name` in the spec, whose values must
    /// match `pattern` before anything is sent.
    pub const fn with_pattern(
        name: &'static str,
        wire_name: &'static str,
        pattern: &'static Pattern,
    ) -> Self {
        PathParam {
            name,
            wire_name,
            pattern: Some(pattern),
            one_of: &[],
        }
    }

    /// The Rust argument name, e.g. `group_id`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The name on the wire as the spec writes it, e.g. `groupId`.
    pub fn wire_name(&self) -> &'static str {
        self.wire_name
    }

    /// The pattern every value must match before anything is sent, if any.
    pub fn pattern(&self) -> Option<&'static Pattern> {
        self.pattern
    }

    // Enums as values (`#[path(one_of("A", "B"))]`).

    /// The parameter whose values must be one of `values` (the spec's closed `enum`);
    /// `#[path(one_of(...))]`.
    pub const fn one_of(mut self, values: &'static [&'static str]) -> Self {
        self.one_of = values;
        self
    }

    /// The values the parameter takes when the spec closes its `enum`; empty when any value
    /// (matching the pattern) goes.
    pub fn allowed_values(&self) -> &'static [&'static str] {
        self.one_of
    }
}

/// A query parameter declared with `#[query]` on an argument, or by a
/// [`QueryParams`](crate::QueryParams) struct.
///
/// Its constraints (`min`, `max`, `min_items`, `max_items`, `pattern`, `one_of`) are checked
/// before anything is sent, against every value the argument appends.
///
/// ```
/// use atlas_endpoints_runtime::{Pattern, QueryParam};
///
/// static HASH: Pattern = Pattern::new("^([a-fA-F0-9]{64})$");
/// const HASHES: QueryParam = QueryParam::new("query_shape_hashes", "queryShapeHashes")
///     .max_items(10)
///     .pattern(&HASH);
/// assert_eq!(HASHES.max_items_allowed(), Some(10));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryParam {
    name: &'static str,
    wire_name: &'static str,
    // Operation-specific constraints (`#[query(min = .., max = .., ...)]`).
    min: Option<u64>,
    max: Option<u64>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    pattern: Option<&'static Pattern>,
    one_of: &'static [&'static str],
}

impl QueryParam {
    /// The query parameter of argument `name`, sent as `wire_name`.
    pub const fn new(name: &'static str, wire_name: &'static str) -> Self {
        QueryParam {
            name,
            wire_name,
            min: None,
            max: None,
            min_items: None,
            max_items: None,
            pattern: None,
            one_of: &[],
        }
    }

    /// The Rust argument name, e.g. `include_count`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The name on the wire, e.g. `includeCount`.
    pub fn wire_name(&self) -> &'static str {
        self.wire_name
    }

    // Operation-specific constraints: one const setter per `#[query(...)]` option, one
    // accessor each. Every value must be an integer of at least `min` and at most `max`.

    /// Each value must be an integer of at least `min` (`#[query(min = ..)]`).
    pub const fn min(mut self, min: u64) -> Self {
        self.min = Some(min);
        self
    }

    /// Each value must be an integer of at most `max` (`#[query(max = ..)]`).
    pub const fn max(mut self, max: u64) -> Self {
        self.max = Some(max);
        self
    }

    /// At least `min_items` values (`#[query(min_items = ..)]`, the spec's `minItems`); an
    /// absent parameter (no value) is always accepted.
    pub const fn min_items(mut self, min_items: usize) -> Self {
        self.min_items = Some(min_items);
        self
    }

    /// At most `max_items` values (`#[query(max_items = ..)]`, the spec's `maxItems`).
    pub const fn max_items(mut self, max_items: usize) -> Self {
        self.max_items = Some(max_items);
        self
    }

    /// Each value must match `pattern` (`#[query(pattern = "..")]`).
    pub const fn pattern(mut self, pattern: &'static Pattern) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// Each value must be one of `values`, the spec's closed `enum` (`#[query(one_of(..))]`).
    pub const fn one_of(mut self, values: &'static [&'static str]) -> Self {
        self.one_of = values;
        self
    }

    /// The smallest value allowed, if any.
    pub fn minimum(&self) -> Option<u64> {
        self.min
    }

    /// The largest value allowed, if any.
    pub fn maximum(&self) -> Option<u64> {
        self.max
    }

    /// The fewest values allowed when the parameter is sent, if any.
    pub fn min_items_allowed(&self) -> Option<usize> {
        self.min_items
    }

    /// The most values allowed, if any.
    pub fn max_items_allowed(&self) -> Option<usize> {
        self.max_items
    }

    /// The pattern every value must match, if any.
    pub fn value_pattern(&self) -> Option<&'static Pattern> {
        self.pattern
    }

    /// The values allowed (a closed enum); empty when any value goes.
    pub fn allowed_values(&self) -> &'static [&'static str] {
        self.one_of
    }

    /// Whether any constraint is declared, so values must be checked before sending.
    pub(crate) fn is_constrained(&self) -> bool {
        self.min.is_some()
            || self.max.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
            || self.pattern.is_some()
            || !self.one_of.is_empty()
    }
}

/// The declared query parameters of the `parts` in order, as one array: what the attribute
/// writes for a declaration with a `#[query(flatten)]` argument, whose
/// [`QueryParams::PARAMS`](crate::QueryParams::PARAMS) join those of the other arguments.
/// `N` must be the sum of the lengths; extra slots stay unnamed, extra parameters are dropped.
pub const fn concat_query_params<const N: usize>(
    parts: &[&'static [QueryParam]],
) -> [QueryParam; N] {
    let mut out = [QueryParam::new("", ""); N];
    let (mut part, mut next) = (0, 0);
    while part < parts.len() {
        let params = parts[part];
        let mut index = 0;
        while index < params.len() && next < N {
            out[next] = params[index];
            next += 1;
            index += 1;
        }
        part += 1;
    }
    out
}

/// A header parameter declared with `#[header]` on an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderParam {
    name: &'static str,
    wire_name: &'static str,
}

impl HeaderParam {
    /// The header parameter of argument `name`, sent as the header `wire_name`.
    pub const fn new(name: &'static str, wire_name: &'static str) -> Self {
        HeaderParam { name, wire_name }
    }

    /// The Rust argument name, e.g. `use_effective_instance_fields`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The header's name as the spec writes it, e.g. `Use-Effective-Instance-Fields`.
    pub fn wire_name(&self) -> &'static str {
        self.wire_name
    }
}

/// Which of the query parameters that Atlas endpoints share an endpoint takes.
///
/// Most operations of the spec take both `envelope` and `pretty`; a few take only some. The
/// declaration says which with `common(...)` (both when it says nothing), and the runtime
/// refuses, before sending anything, to set one the endpoint does not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommonParams {
    /// Whether the endpoint takes `envelope`.
    pub envelope: bool,
    /// Whether the endpoint takes `pretty`.
    pub pretty: bool,
}

impl CommonParams {
    /// Both `envelope` and `pretty`: what a declaration without `common(...)` takes.
    pub const ALL: CommonParams = CommonParams {
        envelope: true,
        pretty: true,
    };

    /// Neither: `common()`.
    pub const NONE: CommonParams = CommonParams {
        envelope: false,
        pretty: false,
    };
}

/// Where a parameter of an endpoint goes, as the spec's `in` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// A segment of the path (`in: path`).
    Path,
    /// The query string (`in: query`).
    Query,
    /// A request header (`in: header`).
    Header,
}

impl ParamLocation {
    /// The spec's name for the location: `path`, `query` or `header`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

/// One parameter of an endpoint as the spec lists it: see [`Endpoint::spec_params`].
///
/// Read its fields; only the runtime builds one, so fields can be added without a breaking
/// change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpecParam {
    /// The spec's name, e.g. `groupId` or `itemsPerPage`.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamLocation,
    /// The pattern a path value must match, when there is one; `None` for query parameters.
    pub pattern: Option<&'static str>,
}

/// Everything the attribute knows about one declared endpoint.
///
/// Built at compile time by `#[atlas_endpoint]` through [`Endpoint::builder`]; read it through
/// [`Call::endpoint`](crate::Call::endpoint), [`Paginated::endpoint`](crate::Paginated::endpoint)
/// or [`catalog`](crate::catalog()). Its fields are private so that what a declaration can say
/// grows without breaking code that reads endpoints.
#[derive(Debug)]
pub struct Endpoint {
    pub(crate) rust_name: &'static str,
    pub(crate) operation_id: Option<&'static str>,
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    pub(crate) segments: &'static [Segment],
    pub(crate) path_params: &'static [PathParam],
    pub(crate) query_params: &'static [QueryParam],
    pub(crate) common: CommonParams,
    pub(crate) has_body: bool,
    pub(crate) version: &'static str,
    pub(crate) paginated: bool,
    pub(crate) idempotent: bool,
    pub(crate) deprecated: Option<&'static str>,

    // Answers and lifecycle (issue 10, shapes 5, 9 and 14).
    pub(crate) sunset: Option<&'static str>,
    pub(crate) format: &'static str,
    pub(crate) envelope_default: bool,
    // Paging beyond `paginated` as is (`paginated(include_count = false, ...)`).
    pub(crate) include_count: bool,
    pub(crate) max_items_per_page: Option<u32>,
    /// How many of `query_params`, from the end, come from `#[query(flatten)]` arguments.
    pub(crate) flattened_params: usize,
    // Header parameters and operations without authentication (issue 10, shapes 7 and 8).
    pub(crate) header_params: &'static [HeaderParam],
    pub(crate) unauthenticated: bool,
    /// The path parameter (an index into `path_params`) whose value keys the client's lock
    /// for this endpoint (`serialize_by(group_id)`).
    pub(crate) serialize_by: Option<usize>,
    /// The module of the declaration (`module_path!()`), to tell apart the crate's generated
    /// endpoints from those a program or library declares.
    pub(crate) module_path: &'static str,
}

/// Describes an [`Endpoint`] in a `const` context; what `#[atlas_endpoint]` expands to.
///
/// The required parts go to [`Endpoint::builder`]; each option of the attribute is a method of
/// the same name, and whatever the declaration does not say keeps the attribute's default.
///
/// ```
/// use atlas_endpoints_runtime::{Endpoint, Method, PathParam, Segment, OBJECT_ID};
///
/// static GET_GROUP: Endpoint = Endpoint::builder(
///     Method::Get,
///     "get_group",
///     "/groups/<group_id>",
///     &[Segment::Literal("/groups/"), Segment::Param(0)],
///     &[PathParam::with_pattern("group_id", "groupId", &OBJECT_ID)],
/// )
/// .operation_id("getGroup")
/// .build();
///
/// assert_eq!(GET_GROUP.spec_path(), "/api/atlas/v2/groups/{groupId}");
/// assert_eq!(GET_GROUP.version(), "2023-01-01");
/// ```
#[derive(Debug)]
#[must_use = "call `build()` to get the endpoint"]
pub struct EndpointBuilder {
    endpoint: Endpoint,
}

impl EndpointBuilder {
    setters! {
        const
        /// The spec's `operationId` (`operation_id = "…"`).
        fn operation_id(operation_id: &'static str) => endpoint.operation_id = Some(operation_id);

        /// The `#[query]` arguments, in declaration order.
        fn query_params(query_params: &'static [QueryParam])
            => endpoint.query_params = query_params;

        /// Which common query parameters the endpoint takes (`common(...)`; both by default).
        fn common(common: CommonParams) => endpoint.common = common;

        /// The method takes a JSON body (a `#[body]` argument).
        fn body() => endpoint.has_body = true;

        /// The resource version (`version = "…"`; [`DEFAULT_VERSION`] by default).
        fn version(version: &'static str) => endpoint.version = version;

        /// The endpoint lists pages (`paginated`).
        fn paginated() => endpoint.paginated = true;

        /// A `POST` or `PATCH` that is safe to send again (`idempotent`).
        fn idempotent() => endpoint.idempotent = true;

        /// The endpoint is deprecated, with a note naming its replacement (`deprecated = "…"`).
        fn deprecated(note: &'static str) => endpoint.deprecated = Some(note);

        // Answers and lifecycle (issue 10, shapes 5, 9 and 14).

        /// The date this version is sunset, `YYYY-MM-DD`, as the spec's `x-sunset` says
        /// (`sunset = "…"`).
        fn sunset(date: &'static str) => endpoint.sunset = Some(date);

        /// The answer's media type suffix when it is not JSON: `gzip` or `csv` (`format = "…"`).
        fn format(format: &'static str) => endpoint.format = format;

        /// Whether the spec's `envelope` defaults to true (`common(envelope(default = true))`), so
        /// the answer may come wrapped without being asked to.
        fn envelope_default(default: bool) => endpoint.envelope_default = default;

        // Paging options (`paginated(include_count = false, max_items_per_page = none)`) and
        // parameters structs (`#[query(flatten)]`).

        /// Whether the listing takes `includeCount` (`paginated(include_count = false)` for one
        /// whose spec lists none; true by default).
        fn include_count(include_count: bool) => endpoint.include_count = include_count;

        /// The largest `itemsPerPage` the spec allows (`paginated(max_items_per_page = N)`, or
        /// `= none` for no maximum); 500 by default.
        fn max_items_per_page(max: Option<u32>) => endpoint.max_items_per_page = max;

        /// The last `count` of [`query_params`](EndpointBuilder::query_params) are filled by
        /// `#[query(flatten)]` arguments, in their order, rather than one argument each.
        fn flattened_params(count: usize) => endpoint.flattened_params = count;

        // Header parameters and operations without authentication (issue 10, shapes 7 and 8).

        /// The `#[header]` arguments, in declaration order.
        fn header_params(header_params: &'static [HeaderParam])
            => endpoint.header_params = header_params;

        /// The module that declares the endpoint, as `module_path!()` gives it.
        fn module_path(module_path: &'static str) => endpoint.module_path = module_path;

        /// The operation takes no credentials (`unauthenticated`, the spec's `security: []`):
        /// nothing the client holds is sent, and no token is fetched for it.
        fn unauthenticated() => endpoint.unauthenticated = true;

        /// Calls of one client whose path parameter `index` (into the path parameters) has the
        /// same value are sent one at a time (`serialize_by(group_id)`): for operations that do not
        /// take concurrent requests on one resource, such as the project IP access list's.
        fn serialize_by(index: usize) => endpoint.serialize_by = Some(index);
    }

    /// The endpoint.
    pub const fn build(self) -> Endpoint {
        self.endpoint
    }
}

impl Endpoint {
    /// Starts the description of an endpoint from what every declaration has: the method, the
    /// name of the trait method, the template as declared, the template split into literal
    /// text and parameters, and the path parameters in the order of their placeholders.
    pub const fn builder(
        method: Method,
        rust_name: &'static str,
        template: &'static str,
        segments: &'static [Segment],
        path_params: &'static [PathParam],
    ) -> EndpointBuilder {
        EndpointBuilder {
            endpoint: Endpoint {
                rust_name,
                operation_id: None,
                method,
                template,
                segments,
                path_params,
                query_params: &[],
                common: CommonParams::ALL,
                has_body: false,
                version: DEFAULT_VERSION,
                paginated: false,
                idempotent: false,
                deprecated: None,
                sunset: None,
                format: "json",
                envelope_default: false,
                include_count: true,
                max_items_per_page: Some(crate::defaults::MAX_ITEMS_PER_PAGE),
                flattened_params: 0,
                header_params: &[],
                unauthenticated: false,
                serialize_by: None,
                module_path: "",
            },
        }
    }

    /// The module that declares the endpoint (`atlas_endpoints::api::clusters` for the
    /// crate's own), as `module_path!()` gave it.
    pub fn module_path(&self) -> &'static str {
        self.module_path
    }

    /// The name of the trait method, e.g. `list_serverless_restore_jobs`.
    pub fn rust_name(&self) -> &'static str {
        self.rust_name
    }

    /// The spec's operation id, when the declaration gives one.
    pub fn operation_id(&self) -> Option<&'static str> {
        self.operation_id
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The template as declared, relative to the API prefix, e.g.
    /// `/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs`.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The template split into literal text and parameters, in order.
    pub fn segments(&self) -> &'static [Segment] {
        self.segments
    }

    /// The path parameters, in the order of their placeholders.
    pub fn path_params(&self) -> &'static [PathParam] {
        self.path_params
    }

    /// The query parameters declared on the method, besides the common ones.
    pub fn query_params(&self) -> &'static [QueryParam] {
        self.query_params
    }

    /// Which of the common query parameters (`envelope`, `pretty`) the endpoint takes.
    pub fn common(&self) -> CommonParams {
        self.common
    }

    /// Whether the method takes a JSON body.
    pub fn has_body(&self) -> bool {
        self.has_body
    }

    /// The resource version, e.g. `2023-01-01`; sent as
    /// `Accept: application/vnd.atlas.<version>+json`.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// Whether the endpoint lists items page by page.
    pub fn is_paginated(&self) -> bool {
        self.paginated
    }

    /// Whether a `POST` or `PATCH` is safe to send again after a transient failure
    /// (`GET`, `PUT` and `DELETE` always are).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The deprecation note, when the endpoint is deprecated.
    pub fn deprecated(&self) -> Option<&'static str> {
        self.deprecated
    }

    /// Whether the listing takes `includeCount` (only meaningful when
    /// [`is_paginated`](Endpoint::is_paginated)). Where it does not, `include_count(true)`
    /// fails before sending and `include_count(false)` sends nothing.
    pub fn takes_include_count(&self) -> bool {
        self.include_count
    }

    /// The largest `itemsPerPage` the spec allows; `None` when it sets no maximum.
    pub fn max_items_per_page(&self) -> Option<u32> {
        self.max_items_per_page
    }

    // Header parameters and operations without authentication (issue 10, shapes 7 and 8).

    /// The header parameters declared on the method (`#[header]`).
    pub fn header_params(&self) -> &'static [HeaderParam] {
        self.header_params
    }

    /// Whether the operation is called without credentials (`unauthenticated`; the spec's
    /// `security: []`): no `Authorization` header, no token request, no digest challenge.
    pub fn is_unauthenticated(&self) -> bool {
        self.unauthenticated
    }

    /// The path argument whose value serializes the calls of one client (`serialize_by =
    /// group_id`): calls with the same value, of this endpoint or of any other endpoint whose
    /// path has the same collection after that value, are sent one at a time.
    pub fn serialize_by(&self) -> Option<&'static str> {
        self.path_params
            .get(self.serialize_by?)
            .map(PathParam::name)
    }

    /// The versioned media type of this endpoint, e.g. `application/vnd.atlas.2023-01-01+json`.
    pub fn media_type(&self) -> String {
        format!("application/vnd.atlas.{}+json", self.version)
    }

    /// Lends `read` the `Accept` and `Content-Type` values of this endpoint's requests
    /// ([`accept`](Endpoint::accept) and [`media_type`](Endpoint::media_type)); `None` when
    /// the version or format has characters no header value takes.
    ///
    /// The values are made once per version and format on each thread, and kept: a request
    /// clones them (a reference count) rather than formatting and checking them again. (An
    /// `Endpoint` is built in a `const` context, where it cannot hold a lazily made value.)
    pub(crate) fn with_media_types<R>(
        &self,
        read: impl FnOnce(&HeaderValue, &HeaderValue) -> R,
    ) -> Option<R> {
        type Made = FxHashMap<(&'static str, &'static str), Option<(HeaderValue, HeaderValue)>>;
        thread_local! {
            static MEDIA_TYPES: RefCell<Made> = RefCell::new(FxHashMap::default());
        }
        MEDIA_TYPES.with(|made| {
            let mut made = made.borrow_mut();
            let values = made.entry((self.version, self.format)).or_insert_with(|| {
                let accept = HeaderValue::try_from(self.accept()).ok()?;
                let content_type = HeaderValue::try_from(self.media_type()).ok()?;
                Some((accept, content_type))
            });
            values
                .as_ref()
                .map(|(accept, content_type)| read(accept, content_type))
        })
    }

    // Answers and lifecycle (issue 10, shapes 5, 9 and 14).

    /// The date Atlas sunsets this version (`YYYY-MM-DD`, the spec's `x-sunset`), when the
    /// declaration gives one. After it, Atlas answers `410 VERSION_GONE`.
    pub fn sunset(&self) -> Option<&'static str> {
        self.sunset
    }

    /// The media type suffix of a successful answer: `json`, or `gzip`/`csv` for downloads.
    pub fn format(&self) -> &'static str {
        self.format
    }

    /// Whether the spec's `envelope` defaults to true for this operation: the answer is then
    /// unwrapped when it comes as `{"status": …, "content": …}` and decoded as is otherwise.
    pub fn envelope_default(&self) -> bool {
        self.envelope_default
    }

    /// What the call sends as `Accept`: [`media_type`](Endpoint::media_type) for JSON, e.g.
    /// `application/vnd.atlas.2023-01-01+gzip` for a download. A body is always JSON.
    pub fn accept(&self) -> String {
        format!("application/vnd.atlas.{}+{}", self.version, self.format)
    }

    /// The template as the spec writes it below the API prefix, with `{wireName}` placeholders,
    /// e.g. `/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs`.
    pub fn spec_template(&self) -> String {
        let mut out = String::with_capacity(self.template.len());
        for segment in self.segments {
            match *segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::Param(index) => {
                    // Generated endpoints always name an existing parameter; a hand-built one
                    // that does not shows `{?}` rather than panicking.
                    out.push('{');
                    out.push_str(self.path_params.get(index).map_or("?", |p| p.wire_name));
                    out.push('}');
                }
            }
        }
        out
    }

    /// The full path as the spec writes it, with the default API prefix, e.g.
    /// `/api/atlas/v2/groups/{groupId}/serverless/{clusterName}/backup/restoreJobs`.
    pub fn spec_path(&self) -> String {
        format!("{DEFAULT_API_PREFIX}{}", self.spec_template())
    }

    /// Every parameter the endpoint takes, named as the spec names them: the path parameters
    /// in template order, the declared query parameters, the declared header parameters
    /// (`ParamLocation::Header`), then `envelope` and `pretty` as
    /// [`common`](Endpoint::common()) says, then `pageNum`, `itemsPerPage` and `includeCount`
    /// when it is paginated (`includeCount` left out with `paginated(include_count = false)`).
    /// Parameters of a `#[query(flatten)]` struct are among the declared query parameters.
    ///
    /// ```
    /// # use atlas_endpoints_runtime::{Endpoint, ParamLocation};
    /// fn query_names(endpoint: &Endpoint) -> Vec<&'static str> {
    ///     endpoint
    ///         .spec_params()
    ///         .into_iter()
    ///         .filter(|param| param.location == ParamLocation::Query)
    ///         .map(|param| param.name)
    ///         .collect()
    /// }
    /// ```
    pub fn spec_params(&self) -> Vec<SpecParam> {
        let query = |name| SpecParam {
            name,
            location: ParamLocation::Query,
            pattern: None,
        };
        let mut params = Vec::with_capacity(self.path_params.len() + self.query_params.len() + 5);
        params.extend(self.path_params.iter().map(|param| SpecParam {
            name: param.wire_name,
            location: ParamLocation::Path,
            pattern: param.pattern.map(Pattern::source),
        }));
        params.extend(self.query_params.iter().map(|param| query(param.wire_name)));
        params.extend(self.header_params.iter().map(|param| SpecParam {
            name: param.wire_name,
            location: ParamLocation::Header,
            pattern: None,
        }));
        if self.common.envelope {
            params.push(query("envelope"));
        }
        if self.common.pretty {
            params.push(query("pretty"));
        }
        if self.paginated {
            params.extend(["pageNum", "itemsPerPage"].map(query));
            if self.include_count {
                params.push(query("includeCount"));
            }
        }
        params
    }
}
