//! What the `#[atlas_endpoint]` attribute records about each declared endpoint.
//!
//! The attribute expands every declaration into one `static` [`Endpoint`] and one call into
//! the runtime, so the metadata is available at run time (for error messages, request
//! inspection and catalogs) without any per-call allocation.

use crate::client::DEFAULT_API_PREFIX;
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
    /// The value of `Endpoint::path_params[index]`, validated and percent-encoded as one
    /// path segment.
    Param(usize),
}

/// A path parameter: a `<placeholder>` of the template and the argument bound to it.
#[derive(Debug)]
pub struct PathParam {
    /// The Rust argument name, e.g. `group_id`.
    pub name: &'static str,
    /// The name on the wire as the spec writes it, e.g. `groupId`.
    pub wire_name: &'static str,
    /// The pattern every value must match before anything is sent, if any.
    pub pattern: Option<&'static Pattern>,
}

/// A query parameter declared with `#[query]` on an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryParam {
    /// The Rust argument name, e.g. `include_count`.
    pub name: &'static str,
    /// The name on the wire, e.g. `includeCount`.
    pub wire_name: &'static str,
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
}

/// Where a parameter of an endpoint goes, as the spec's `in` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// A segment of the path (`in: path`).
    Path,
    /// The query string (`in: query`).
    Query,
}

impl ParamLocation {
    /// The spec's name for the location: `path` or `query`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
        }
    }
}

/// One parameter of an endpoint as the spec lists it: see [`Endpoint::spec_params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// Built at compile time by `#[atlas_endpoint]`; read it through
/// [`Call::endpoint`](crate::Call::endpoint) or [`Paginated::endpoint`](crate::Paginated::endpoint).
#[derive(Debug)]
pub struct Endpoint {
    /// The name of the trait method, e.g. `list_serverless_backup_restore_jobs`.
    pub rust_name: &'static str,
    /// The spec's operation id, when the declaration gives one.
    pub operation_id: Option<&'static str>,
    /// The HTTP method.
    pub method: Method,
    /// The template as declared, relative to the API prefix, e.g.
    /// `/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs`.
    pub template: &'static str,
    /// The template split into literal text and parameters, in order.
    pub segments: &'static [Segment],
    /// The path parameters, in the order of their placeholders.
    pub path_params: &'static [PathParam],
    /// The query parameters declared on the method, besides the common ones.
    pub query_params: &'static [QueryParam],
    /// Which of the common query parameters (`envelope`, `pretty`) the endpoint takes.
    pub common: CommonParams,
    /// Whether the method takes a JSON body.
    pub has_body: bool,
    /// The resource version, e.g. `2023-01-01`; sent as
    /// `Accept: application/vnd.atlas.<version>+json`.
    pub version: &'static str,
    /// Whether the endpoint lists items page by page.
    pub paginated: bool,
    /// Whether a `POST` or `PATCH` is safe to send again after a transient failure
    /// (`GET`, `PUT` and `DELETE` always are).
    pub idempotent: bool,
    /// The deprecation note, when the endpoint is deprecated.
    pub deprecated: Option<&'static str>,
}

impl Endpoint {
    /// The versioned media type of this endpoint, e.g. `application/vnd.atlas.2023-01-01+json`.
    pub fn media_type(&self) -> String {
        format!("application/vnd.atlas.{}+json", self.version)
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
    /// in template order, the declared query parameters, then `envelope` and `pretty` as
    /// [`common`](Endpoint::common) says, then `pageNum`, `itemsPerPage` and `includeCount`
    /// when it is paginated.
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
        if self.common.envelope {
            params.push(query("envelope"));
        }
        if self.common.pretty {
            params.push(query("pretty"));
        }
        if self.paginated {
            params.extend(["pageNum", "itemsPerPage", "includeCount"].map(query));
        }
        params
    }
}
