//! Parsing `#[atlas_endpoint(...)]` and the argument markers `#[path]`, `#[query]`, `#[body]`.
//!
//! Everything here checks one attribute on its own: the shape of each option, the format of
//! its value, the template syntax. Checks that relate the attribute to the method signature
//! live in `valid.rs`. Since this module knows which attributes are this crate's, it also
//! strips them from the method that is emitted.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser as _};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Expr, ExprLit, FnArg, Ident, Lit, LitBool, LitInt, LitStr, Meta, Token, TraitItemFn,
};

use crate::ctxt::Ctxt;
use crate::pattern;
use crate::template::Template;
use crate::wait::WaitAttr;

/// `#[atlas_endpoint(METHOD, "TEMPLATE", options...)]`.
pub(crate) struct EndpointAttr {
    /// `None` when the method is not one of the five; already reported.
    pub method: Option<HttpMethod>,
    pub method_ident: Ident,
    pub template: LitStr,
    pub parsed: Template,
    /// The `paginated` flag, kept for its span.
    pub paginated: Option<Ident>,
    /// The `idempotent` flag: a POST or PATCH that is safe to retry.
    pub idempotent: Option<Ident>,
    pub version: Option<LitStr>,
    pub operation_id: Option<LitStr>,
    pub deprecated: Option<LitStr>,
    /// `common(...)`: the common query parameters the endpoint takes; `None` means all.
    pub common: Option<Common>,
    // Issue 10, shape 8.
    /// The `unauthenticated` flag: the operation takes no credentials (`security: []`).
    pub unauthenticated: Option<Ident>,

    // Answers and lifecycle (issue 10, shapes 5 and 14).
    /// `sunset = "YYYY-MM-DD"`: the date the spec's `x-sunset` gives this version.
    pub sunset: Option<LitStr>,
    /// `format = "gzip" | "csv"`: a non-JSON answer, streamed as a `Download`.
    pub format: Option<LitStr>,
    // Paging options: `paginated(include_count = false, max_items_per_page = N | none)`.
    pub page_options: PageOptions,
    /// `serialize_by(group_id)`: the path argument whose value keys a per-client lock, so the
    /// calls of one client with the same value are sent one at a time.
    pub serialize_by: Option<Ident>,
    /// `wait(...)`: the waiter after the call (issue 14); see `wait.rs`.
    pub wait: Option<WaitAttr>,
    /// `wait` was written but refused as a whole (already reported).
    pub wait_refused: bool,
}

/// The options of `paginated(...)`; all `None` for a plain `paginated`.
#[derive(Default)]
pub(crate) struct PageOptions {
    /// `include_count = false`: the listing has no `includeCount`.
    pub include_count: Option<LitBool>,
    /// `max_items_per_page = N` (`Some(lit)`) or `= none` (`None` inside).
    pub max_items_per_page: Option<Option<LitInt>>,
}

/// The constraints of a `#[query]` argument: `min`, `max`, `min_items`, `max_items`,
/// `pattern`, `one_of(...)`.
#[derive(Default)]
pub(crate) struct QueryConstraints {
    pub min: Option<LitInt>,
    pub max: Option<LitInt>,
    pub min_items: Option<LitInt>,
    pub max_items: Option<LitInt>,
    pub pattern: Option<LitStr>,
    pub one_of: Option<Vec<LitStr>>,
}

/// `common(envelope, pretty)`: which of the query parameters that Atlas endpoints share the
/// endpoint takes. Each flag keeps its identifier, for spans.
pub(crate) struct Common {
    pub envelope: Option<Ident>,
    pub pretty: Option<Ident>,
    /// `envelope(default = true)`: the spec's `envelope` defaults to true (issue 10, shape 9).
    pub envelope_default_true: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    const ALL: [(&'static str, HttpMethod); 5] = [
        ("GET", HttpMethod::Get),
        ("POST", HttpMethod::Post),
        ("PUT", HttpMethod::Put),
        ("PATCH", HttpMethod::Patch),
        ("DELETE", HttpMethod::Delete),
    ];

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|&(_, method)| method)
    }

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, method)| *method == self)
            .map_or("", |(name, _)| name)
    }

    /// The name of the runtime's `Method` variant.
    pub fn variant(self) -> &'static str {
        match self {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Put => "Put",
            HttpMethod::Patch => "Patch",
            HttpMethod::Delete => "Delete",
        }
    }
}

/// The marker on one argument.
pub(crate) struct Marker<'a> {
    /// The user's attribute, for spans.
    pub original: &'a Attribute,
    pub kind: MarkerKind,
}

pub(crate) enum MarkerKind {
    Path {
        pattern: Option<LitStr>,
        rename: Option<LitStr>,
        /// `one_of("A", "B")`: the spec's closed enum.
        one_of: Option<Vec<LitStr>>,
    },
    Query {
        rename: Option<LitStr>,
        constraints: QueryConstraints,
        /// `#[query(flatten)]`: the argument is a `QueryParams` struct.
        flatten: Option<Ident>,
    },
    Body,
    /// `#[header]` / `#[header(rename = "Use-Effective-Instance-Fields")]` (issue 10, shape 7).
    Header {
        rename: Option<LitStr>,
    },
}

impl MarkerKind {
    pub fn name(&self) -> &'static str {
        match self {
            MarkerKind::Path { .. } => "path",
            MarkerKind::Query { .. } => "query",
            MarkerKind::Body => "body",
            MarkerKind::Header { .. } => "header",
        }
    }
}

/// The attribute names this crate owns on arguments; stripped from the output.
const MARKERS: [&str; 4] = ["path", "query", "body", "header"];

pub(crate) fn is_marker(attr: &Attribute) -> bool {
    MARKERS.iter().any(|name| attr.path().is_ident(name))
}

/// Whether `attr` is another `#[atlas_endpoint]` (possibly by path) on the same method.
pub(crate) fn is_endpoint_attr(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "atlas_endpoint")
}

/// Removes this crate's argument markers, keeping every other attribute (`#[cfg]`,
/// `#[allow]`, doc comments, other macros' helpers) where the user put it.
pub(crate) fn strip_markers(method: &mut TraitItemFn) {
    method.attrs.retain(|attr| !is_endpoint_attr(attr));
    for input in &mut method.sig.inputs {
        let attrs = match input {
            FnArg::Receiver(receiver) => &mut receiver.attrs,
            FnArg::Typed(pat_type) => &mut pat_type.attrs,
        };
        attrs.retain(|attr| !is_marker(attr));
    }
}

/// Parses the tokens inside `#[atlas_endpoint(...)]`. Problems with single options are
/// reported and parsing goes on; `None` means the attribute's syntax was broken beyond that.
pub(crate) fn endpoint_attr(cx: &Ctxt, args: TokenStream) -> Option<EndpointAttr> {
    let parser = |input: ParseStream| parse_endpoint_attr(cx, input);
    match parser.parse2(args) {
        Ok(attr) => Some(attr),
        Err(error) => {
            cx.syn_error(error);
            None
        }
    }
}

fn parse_endpoint_attr(cx: &Ctxt, input: ParseStream) -> syn::Result<EndpointAttr> {
    const USAGE: &str = "write `#[atlas_endpoint(GET, \"/groups/<group_id>\")]`";
    if input.is_empty() {
        return Err(syn::Error::new(
            Span::call_site(),
            format!("missing HTTP method and path template; {USAGE}"),
        ));
    }
    if input.peek(LitStr) {
        return Err(input.error(format!("missing HTTP method before the template; {USAGE}")));
    }
    let method_ident: Ident = input.parse().map_err(|error| {
        syn::Error::new(error.span(), format!("expected an HTTP method; {USAGE}"))
    })?;
    let name = method_ident.to_string();
    let method = HttpMethod::from_name(&name);
    if method.is_none() {
        let hint = match HttpMethod::from_name(&name.to_ascii_uppercase()) {
            Some(method) => format!("write it in capitals: `{}`", method.as_str()),
            None => "expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`".to_owned(),
        };
        cx.error_spanned_by(
            &method_ident,
            format!("unknown HTTP method `{name}`; {hint}"),
        );
    }
    if input.is_empty() {
        return Err(syn::Error::new_spanned(
            &method_ident,
            format!("missing path template after `{name}`; {USAGE}"),
        ));
    }
    input.parse::<Token![,]>()?;
    if !input.peek(LitStr) {
        return Err(input.error(format!(
            "expected the path template as a string literal; {USAGE}"
        )));
    }
    let template: LitStr = input.parse()?;
    let parsed = Template::parse(&template.value());
    for message in &parsed.errors {
        cx.error_spanned_by(&template, message);
    }

    let mut attr = EndpointAttr {
        method,
        method_ident,
        template,
        parsed,
        paginated: None,
        idempotent: None,
        version: None,
        operation_id: None,
        deprecated: None,
        common: None,
        sunset: None,
        format: None,
        page_options: PageOptions::default(),
        unauthenticated: None,
        serialize_by: None,
        wait: None,
        wait_refused: false,
    };
    if input.is_empty() {
        return Ok(attr);
    }
    input.parse::<Token![,]>()?;
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated(input)?;
    let mut options = Options::new(cx, "#[atlas_endpoint] option", ENDPOINT_KEYS);
    for meta in &metas {
        match options.key(meta) {
            Some(EndpointKey::Paginated) => {
                if let Meta::List(list) = meta {
                    attr.paginated = meta.path().get_ident().cloned();
                    if let Some(items) = options.list(meta) {
                        attr.page_options = page_options(cx, list, &items);
                    }
                } else {
                    attr.paginated = options.flag(meta);
                }
            }
            Some(EndpointKey::Idempotent) => attr.idempotent = options.flag(meta),
            Some(EndpointKey::Version) => {
                attr.version = options.string(meta).filter(|lit| check_version(cx, lit));
            }
            Some(EndpointKey::OperationId) => {
                attr.operation_id = options
                    .string(meta)
                    .filter(|lit| check_operation_id(cx, lit));
            }
            Some(EndpointKey::Deprecated) => {
                attr.deprecated = options
                    .string(meta)
                    .filter(|lit| non_empty(cx, lit, "deprecated"));
            }
            Some(EndpointKey::Common) => {
                attr.common = options.list(meta).map(|list| common(cx, &list))
            }
            Some(EndpointKey::Sunset) => {
                attr.sunset = options.string(meta).filter(|lit| check_sunset(cx, lit));
            }
            Some(EndpointKey::Format) => {
                // Kept even when refused, so the return type is not reported as well; with
                // an error reported, nothing is expanded from it.
                attr.format = options.string(meta);
                if let Some(lit) = &attr.format {
                    check_format(cx, lit);
                }
            }
            Some(EndpointKey::Unauthenticated) => attr.unauthenticated = options.flag(meta),
            Some(EndpointKey::SerializeBy) => attr.serialize_by = options.ident(meta),
            Some(EndpointKey::Wait) => match meta {
                Meta::List(list) => {
                    let keyword = meta.path().get_ident().cloned();
                    attr.wait = keyword.and_then(|keyword| {
                        crate::wait::wait_attr(cx, keyword, list.tokens.clone())
                    });
                    attr.wait_refused = attr.wait.is_none();
                }
                _ => {
                    attr.wait_refused = true;
                    cx.error_spanned_by(
                        meta,
                        "`wait` takes its options in parentheses, as in `wait(poll = get_cluster(group_id, cluster_name), state = state_name: ClusterStateName, pending = [Creating], target = [Idle])`",
                    );
                }
            },
            None => {}
        }
    }
    Ok(attr)
}

#[derive(Clone, Copy)]
enum EndpointKey {
    Paginated,
    Idempotent,
    Version,
    OperationId,
    Deprecated,
    Common,
    Sunset,
    Format,
    Unauthenticated,
    SerializeBy,
    Wait,
}

const ENDPOINT_KEYS: &[Key<EndpointKey>] = &[
    Key::new("paginated", "paginated", EndpointKey::Paginated),
    Key::new("idempotent", "idempotent", EndpointKey::Idempotent),
    Key::new("version", "version = \"2024-11-13\"", EndpointKey::Version),
    Key::new(
        "operation_id",
        "operation_id = \"listGroupClusters\"",
        EndpointKey::OperationId,
    ),
    Key::new(
        "deprecated",
        "deprecated = \"use ... instead\"",
        EndpointKey::Deprecated,
    ),
    Key::new("common", "common(envelope, pretty)", EndpointKey::Common),
    Key::new("sunset", "sunset = \"2026-01-22\"", EndpointKey::Sunset),
    Key::new("format", "format = \"gzip\"", EndpointKey::Format),
    Key::new(
        "unauthenticated",
        "unauthenticated",
        EndpointKey::Unauthenticated,
    ),
    Key::new(
        "serialize_by",
        "serialize_by(group_id)",
        EndpointKey::SerializeBy,
    ),
    Key::new(
        "wait",
        "wait(poll = ..., state = ..., target = [...])",
        EndpointKey::Wait,
    ),
];

#[derive(Clone, Copy)]
enum CommonKey {
    Envelope,
    Pretty,
}

const COMMON_KEYS: &[Key<CommonKey>] = &[
    Key::new("envelope", "envelope", CommonKey::Envelope),
    Key::new("pretty", "pretty", CommonKey::Pretty),
];

/// The parameters named in `common(...)`; those left out are not taken. Unknown and repeated
/// names go through the same helper as the attribute's own options.
fn common(cx: &Ctxt, list: &Punctuated<Meta, Token![,]>) -> Common {
    let mut options = Options::new(cx, "common parameter", COMMON_KEYS);
    let mut common = Common {
        envelope: None,
        pretty: None,
        envelope_default_true: false,
    };
    for meta in list {
        match options.key(meta) {
            Some(CommonKey::Envelope) if matches!(meta, Meta::List(_)) => {
                common.envelope_default_true = envelope_default(cx, meta);
                common.envelope = meta.path().get_ident().cloned();
            }
            Some(CommonKey::Envelope) => common.envelope = options.flag(meta),
            Some(CommonKey::Pretty) => common.pretty = options.flag(meta),
            None => {}
        }
    }
    common
}

/// `envelope(default = true)`: the only list form of `envelope`, for the operations whose
/// spec says `envelope` defaults to true. Anything else is reported; the flag then counts as
/// plain `envelope`.
fn envelope_default(cx: &Ctxt, meta: &Meta) -> bool {
    const USAGE: &str = "write `envelope(default = true)` for an operation whose spec defaults `envelope` to true, or plain `envelope`";
    let Meta::List(list) = meta else {
        return false;
    };
    let parsed = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated);
    let items = match parsed {
        Ok(items) => items,
        Err(error) => {
            cx.error_at(error.span(), format!("{error}; {USAGE}"));
            return false;
        }
    };
    let mut items = items.iter();
    match (items.next(), items.next()) {
        (Some(Meta::NameValue(name_value)), None) if name_value.path.is_ident("default") => {
            match &name_value.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Bool(value),
                    ..
                }) if value.value => true,
                Expr::Lit(ExprLit {
                    lit: Lit::Bool(value),
                    ..
                }) => {
                    cx.error_spanned_by(
                        value,
                        "`envelope` defaults to false already; write plain `envelope`",
                    );
                    false
                }
                other => {
                    cx.error_spanned_by(other, format!("expected `true`; {USAGE}"));
                    false
                }
            }
        }
        _ => {
            cx.error_spanned_by(list, format!("unknown `envelope` setting; {USAGE}"));
            false
        }
    }
}

#[derive(Clone, Copy)]
enum PageKey {
    IncludeCount,
    MaxItemsPerPage,
}

const PAGE_KEYS: &[Key<PageKey>] = &[
    Key::new(
        "include_count",
        "include_count = false",
        PageKey::IncludeCount,
    ),
    Key::new(
        "max_items_per_page",
        "max_items_per_page = 1000",
        PageKey::MaxItemsPerPage,
    ),
];

/// `paginated(include_count = false, max_items_per_page = N | none)`.
fn page_options(
    cx: &Ctxt,
    list: &syn::MetaList,
    items: &Punctuated<Meta, Token![,]>,
) -> PageOptions {
    let mut options = Options::new(cx, "paginated option", PAGE_KEYS);
    let mut page = PageOptions::default();
    if items.is_empty() {
        cx.error_spanned_by(
            list,
            "`paginated()` lists no option; write `paginated`, or `paginated(include_count = false)`",
        );
    }
    for meta in items {
        match options.key(meta) {
            Some(PageKey::IncludeCount) => match value_of(meta) {
                Some(Expr::Lit(ExprLit {
                    lit: Lit::Bool(flag),
                    ..
                })) if !flag.value => page.include_count = Some(flag.clone()),
                _ => cx.error_spanned_by(
                    meta,
                    "write `include_count = false` for a listing whose spec has no `includeCount`; taking it is the default, so `true` is not written",
                ),
            },
            Some(PageKey::MaxItemsPerPage) => match value_of(meta) {
                Some(Expr::Path(path)) if path.path.is_ident("none") => {
                    page.max_items_per_page = Some(None);
                }
                Some(Expr::Lit(ExprLit {
                    lit: Lit::Int(int), ..
                })) if int.base10_parse::<u32>().is_ok_and(|n| n >= 1) => {
                    page.max_items_per_page = Some(Some(int.clone()));
                }
                _ => cx.error_spanned_by(
                    meta,
                    "write `max_items_per_page = N` (1 or more) with the spec's `itemsPerPage` maximum, or `max_items_per_page = none` where it sets none; the default is 500",
                ),
            },
            None => {}
        }
    }
    page
}

/// The value of `key = value`.
fn value_of(meta: &Meta) -> Option<&Expr> {
    match meta {
        Meta::NameValue(name_value) => Some(&name_value.value),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum PathKey {
    Pattern,
    Rename,
    OneOf,
}

const PATH_KEYS: &[Key<PathKey>] = &[
    Key::new("pattern", "pattern = \"^[a-z]+$\"", PathKey::Pattern),
    Key::new("rename", "rename = \"wireName\"", PathKey::Rename),
    Key::new("one_of", "one_of(\"A\", \"B\")", PathKey::OneOf),
];

#[derive(Clone, Copy)]
enum QueryKey {
    Rename,
    Min,
    Max,
    MinItems,
    MaxItems,
    Pattern,
    OneOf,
    Flatten,
}

const QUERY_KEYS: &[Key<QueryKey>] = &[
    Key::new("rename", "rename = \"wireName\"", QueryKey::Rename),
    Key::new("min", "min = 1", QueryKey::Min),
    Key::new("max", "max = 100", QueryKey::Max),
    Key::new("min_items", "min_items = 1", QueryKey::MinItems),
    Key::new("max_items", "max_items = 10", QueryKey::MaxItems),
    Key::new("pattern", "pattern = \"^[a-z]+$\"", QueryKey::Pattern),
    Key::new("one_of", "one_of(\"A\", \"B\")", QueryKey::OneOf),
    Key::new("flatten", "flatten", QueryKey::Flatten),
];

/// A non-negative integer option such as `min = 1`, as the runtime stores it (`u64`).
fn integer(cx: &Ctxt, meta: &Meta, usage: &str) -> Option<LitInt> {
    match value_of(meta) {
        Some(Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        })) if int.base10_parse::<u64>().is_ok() => Some(int.clone()),
        _ => {
            cx.error_spanned_by(
                meta,
                format!("expected a non-negative integer, as in `{usage}`"),
            );
            None
        }
    }
}

/// `one_of("A", "B")`: the values of a closed enum, as the spec writes them; at least one,
/// each once.
fn one_of(cx: &Ctxt, meta: &Meta) -> Option<Vec<LitStr>> {
    const USAGE: &str = "write the spec's values as string literals: `one_of(\"AWS\", \"GCP\")`";
    let Meta::List(list) = meta else {
        cx.error_spanned_by(meta, format!("`one_of` takes a list; {USAGE}"));
        return None;
    };
    let values = match list.parse_args_with(Punctuated::<LitStr, Token![,]>::parse_terminated) {
        Ok(values) => values,
        Err(error) => {
            cx.error_spanned_by(list, format!("{error}; {USAGE}"));
            return None;
        }
    };
    if values.is_empty() {
        cx.error_spanned_by(list, format!("`one_of()` lists no value; {USAGE}"));
        return None;
    }
    let mut seen: Vec<String> = Vec::new();
    for value in &values {
        if seen.contains(&value.value()) {
            cx.error_spanned_by(
                value,
                format!(
                    "duplicate value `{}` in `one_of`; list it once",
                    value.value()
                ),
            );
            return None;
        }
        seen.push(value.value());
    }
    Some(values.into_iter().collect())
}

const HEADER_KEYS: &[Key<QueryKey>] = &[Key::new(
    "rename",
    "rename = \"Use-Effective-Instance-Fields\"",
    QueryKey::Rename,
)];

/// A header name is an HTTP token: ASCII letters, digits and ``!#$%&'*+-.^_`|~``.
fn check_header_name(cx: &Ctxt, lit: &LitStr) -> bool {
    let name = lit.value();
    let token = |ch: char| ch.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(ch);
    if !name.is_empty() && name.chars().all(token) {
        return true;
    }
    cx.error_spanned_by(
        lit,
        format!("invalid header name `{name}`; write the spec's header name, ASCII letters, digits and `-`, e.g. `Use-Effective-Instance-Fields`"),
    );
    false
}

/// One key an attribute accepts.
struct Key<K: 'static> {
    name: &'static str,
    /// How to write it, for error messages.
    usage: &'static str,
    id: K,
}

impl<K> Key<K> {
    const fn new(name: &'static str, usage: &'static str, id: K) -> Self {
        Key { name, usage, id }
    }
}

/// The one place that decides whether a key is known and given once, for every attribute of
/// this crate, so the messages for unknown and repeated keys cannot drift apart.
struct Options<'c, K: 'static> {
    cx: &'c Ctxt,
    /// What a key is, for messages: `#[atlas_endpoint] option`, `common parameter`.
    what: &'static str,
    keys: &'static [Key<K>],
    seen: Vec<&'static str>,
}

impl<'c, K: Copy> Options<'c, K> {
    fn new(cx: &'c Ctxt, what: &'static str, keys: &'static [Key<K>]) -> Self {
        Options {
            cx,
            what,
            keys,
            seen: Vec::new(),
        }
    }

    /// The key of `meta`, if this attribute knows it and it was not given before; otherwise
    /// the problem is reported on the key and `None` returned.
    fn key(&mut self, meta: &Meta) -> Option<K> {
        let path = meta.path();
        let found = path
            .get_ident()
            .and_then(|ident| self.keys.iter().find(|key| ident == key.name));
        let Some(key) = found else {
            let name = path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            let valid = crate::ctxt::in_backticks(self.keys.iter().map(|key| key.usage));
            self.cx.error_spanned_by(
                path,
                format!("unknown {} `{name}`; expected one of {valid}", self.what),
            );
            return None;
        };
        if self.seen.contains(&key.name) {
            self.cx.error_spanned_by(
                path,
                format!("duplicate {} `{}`; give it once", self.what, key.name),
            );
            return None;
        }
        self.seen.push(key.name);
        Some(key.id)
    }

    fn usage(&self, meta: &Meta) -> &'static str {
        self.keys
            .iter()
            .find(|key| meta.path().is_ident(key.name))
            .map_or("", |key| key.usage)
    }

    /// A flag such as `paginated`, which takes no value. Given with a value, the value is
    /// reported and the flag still counts as set, so nothing else is reported because of it.
    fn flag(&self, meta: &Meta) -> Option<Ident> {
        if !matches!(meta, Meta::Path(_)) {
            let usage = self.usage(meta);
            self.cx
                .error_spanned_by(meta, format!("`{usage}` takes no value; write `{usage}`"));
        }
        meta.path().get_ident().cloned()
    }

    /// A list option such as `common(envelope)`, parsed as comma-separated keys. Given in
    /// another shape, it is reported and `None` returned.
    fn list(&self, meta: &Meta) -> Option<Punctuated<Meta, Token![,]>> {
        let Meta::List(list) = meta else {
            let name = meta
                .path()
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let usage = self.usage(meta);
            self.cx.error_spanned_by(
                meta,
                format!("`{name}` takes a list in parentheses, as in `{usage}`"),
            );
            return None;
        };
        match list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) {
            Ok(items) => Some(items),
            Err(error) => {
                self.cx.syn_error(error);
                None
            }
        }
    }

    /// An option naming one argument, such as `serialize_by(group_id)`.
    fn ident(&self, meta: &Meta) -> Option<Ident> {
        let usage = self.usage(meta);
        if let Meta::List(list) = meta {
            if let Ok(ident) = list.parse_args::<Ident>() {
                return Some(ident);
            }
        }
        self.cx.error_spanned_by(
            meta,
            format!("expected the name of one path argument, as in `{usage}`"),
        );
        None
    }

    /// A string option such as `version = "2024-11-13"`.
    fn string(&self, meta: &Meta) -> Option<LitStr> {
        if let Meta::NameValue(name_value) = meta {
            if let Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) = &name_value.value
            {
                return Some(lit.clone());
            }
        }
        let usage = self.usage(meta);
        let spanned: &dyn quote::ToTokens = match meta {
            Meta::NameValue(name_value) => &name_value.value,
            _ => meta,
        };
        self.cx.error_spanned_by(
            spanned,
            format!("expected a string literal, as in `{usage}`"),
        );
        None
    }
}

/// Whether the value of `lit` passes `valid`; if not, reports `refusal` of it at `lit`.
fn check_value(
    cx: &Ctxt,
    lit: &LitStr,
    valid: impl FnOnce(&str) -> bool,
    refusal: impl FnOnce(&str) -> String,
) -> bool {
    let value = lit.value();
    if valid(&value) {
        return true;
    }
    cx.error_spanned_by(lit, refusal(&value));
    false
}

fn check_version(cx: &Ctxt, lit: &LitStr) -> bool {
    check_value(
        cx,
        lit,
        |version| version == "preview" || is_date(version),
        |version| {
            format!("invalid version `{version}`; write the resource version as `YYYY-MM-DD`, e.g. `2023-01-01`, or `preview`")
        },
    )
}

/// `YYYY-MM-DD` with a month of 01 to 12 and a day of 01 to 31.
fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && digits(0..4).is_some()
        && digits(5..7).is_some_and(|month| (1..=12).contains(&month))
        && digits(8..10).is_some_and(|day| (1..=31).contains(&day))
}

/// A sunset is a calendar date: `YYYY-MM-DD` with a day that the month has (29 February in
/// leap years only), as the spec's `x-sunset` writes it.
fn check_sunset(cx: &Ctxt, lit: &LitStr) -> bool {
    check_value(cx, lit, is_calendar_date, |text| {
        format!("invalid sunset `{text}`; write the spec's `x-sunset` date as `YYYY-MM-DD`, e.g. `2026-01-22`")
    })
}

fn is_calendar_date(text: &str) -> bool {
    if !is_date(text) {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

/// The non-JSON answers of the spec: `+gzip` (binary) and `+csv`.
const FORMATS: [&str; 2] = ["gzip", "csv"];

fn check_format(cx: &Ctxt, lit: &LitStr) {
    let format = lit.value();
    if FORMATS.contains(&format.as_str()) {
        return;
    }
    let hint = if format == "json" {
        "JSON is the default; remove `format`".to_owned()
    } else {
        "write `format = \"gzip\"` or `format = \"csv\"`, the media type suffix of the spec's answer".to_owned()
    };
    cx.error_spanned_by(lit, format!("unknown format `{format}`; {hint}"));
}

fn check_operation_id(cx: &Ctxt, lit: &LitStr) -> bool {
    let id = lit.value();
    if !id.is_empty() && id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        return true;
    }
    cx.error_spanned_by(
        lit,
        format!("invalid operation_id `{id}`; write the spec's operationId, ASCII letters and digits only, e.g. `listGroupClusters`"),
    );
    false
}

fn non_empty(cx: &Ctxt, lit: &LitStr, what: &str) -> bool {
    if lit.value().trim().is_empty() {
        cx.error_spanned_by(lit, format!("`{what}` is empty; say what to use instead"));
        return false;
    }
    true
}

/// Parses the markers among `attrs`. Returns the first valid one; later ones are reported.
pub(crate) fn marker<'a>(cx: &Ctxt, arg_name: &str, attrs: &'a [Attribute]) -> Option<Marker<'a>> {
    let mut found: Option<Marker<'a>> = None;
    for attr in attrs.iter().filter(|attr| is_marker(attr)) {
        let kind = marker_kind(cx, attr);
        match &found {
            None => {
                found = Some(Marker {
                    original: attr,
                    kind,
                })
            }
            Some(first) if first.kind.name() == kind.name() => cx.error_spanned_by(
                attr,
                format!("duplicate `#[{}]` on argument `{arg_name}`", kind.name()),
            ),
            Some(first) => cx.error_spanned_by(
                attr,
                format!(
                    "argument `{arg_name}` is marked both `#[{}]` and `#[{}]`; keep one",
                    first.kind.name(),
                    kind.name()
                ),
            ),
        }
    }
    found
}

/// The kind of one marker. A marker whose options are wrong still counts as that marker (the
/// options are reported), so the argument is not also reported as unmarked.
fn marker_kind(cx: &Ctxt, attr: &Attribute) -> MarkerKind {
    let name = if attr.path().is_ident("path") {
        "path"
    } else if attr.path().is_ident("query") {
        "query"
    } else if attr.path().is_ident("header") {
        "header"
    } else {
        "body"
    };
    let metas = match &attr.meta {
        Meta::Path(_) => Punctuated::new(),
        Meta::List(list) if name == "body" => {
            cx.error_spanned_by(list, "`#[body]` takes no options; write `#[body]`");
            Punctuated::new()
        }
        Meta::List(list) => list
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .unwrap_or_else(|error| {
                cx.syn_error(error);
                Punctuated::new()
            }),
        Meta::NameValue(name_value) => {
            let hint = if name == "body" {
                "write `#[body]`".to_owned()
            } else {
                format!("write `#[{name}(rename = \"...\")]`")
            };
            cx.error_spanned_by(
                name_value,
                format!("`#[{name} = ...]` is not supported; {hint}"),
            );
            Punctuated::new()
        }
    };
    match name {
        "path" => {
            let mut options = Options::new(cx, "#[path] option", PATH_KEYS);
            let (mut pattern, mut rename, mut values) = (None, None, None);
            for meta in &metas {
                match options.key(meta) {
                    Some(PathKey::Pattern) => {
                        pattern = options.string(meta).filter(|lit| check_pattern(cx, lit));
                    }
                    Some(PathKey::Rename) => {
                        rename = options
                            .string(meta)
                            .filter(|lit| non_empty(cx, lit, "rename"));
                    }
                    Some(PathKey::OneOf) => values = one_of(cx, meta),
                    None => {}
                }
            }
            MarkerKind::Path {
                pattern,
                rename,
                one_of: values,
            }
        }
        "query" => query_marker(cx, &metas),
        "header" => {
            let mut options = Options::new(cx, "#[header] option", HEADER_KEYS);
            let mut rename = None;
            for meta in &metas {
                // HEADER_KEYS holds `rename` only: any other key was reported as unknown.
                if let Some(QueryKey::Rename) = options.key(meta) {
                    rename = options
                        .string(meta)
                        .filter(|lit| check_header_name(cx, lit));
                }
            }
            MarkerKind::Header { rename }
        }
        _ => MarkerKind::Body,
    }
}

/// `#[query(...)]`: `rename`, the constraints, or `flatten` alone.
fn query_marker(cx: &Ctxt, metas: &Punctuated<Meta, Token![,]>) -> MarkerKind {
    let mut options = Options::new(cx, "#[query] option", QUERY_KEYS);
    let mut rename = None;
    let mut flatten = None;
    let mut constraints = QueryConstraints::default();
    for meta in metas {
        let usage = options.usage(meta);
        match options.key(meta) {
            Some(QueryKey::Rename) => {
                rename = options
                    .string(meta)
                    .filter(|lit| non_empty(cx, lit, "rename"));
            }
            Some(QueryKey::Min) => constraints.min = integer(cx, meta, usage),
            Some(QueryKey::Max) => constraints.max = integer(cx, meta, usage),
            Some(QueryKey::MinItems) => constraints.min_items = integer(cx, meta, usage),
            Some(QueryKey::MaxItems) => constraints.max_items = integer(cx, meta, usage),
            Some(QueryKey::Pattern) => {
                constraints.pattern = options.string(meta).filter(|lit| check_pattern(cx, lit));
            }
            Some(QueryKey::OneOf) => constraints.one_of = one_of(cx, meta),
            Some(QueryKey::Flatten) => flatten = options.flag(meta),
            None => {}
        }
    }
    let parse = |lit: &Option<LitInt>| lit.as_ref().and_then(|l| l.base10_parse::<u64>().ok());
    for (low, high, what) in [
        (&constraints.min, &constraints.max, "min"),
        (&constraints.min_items, &constraints.max_items, "min_items"),
    ] {
        if let (Some(lo), Some(hi), Some(lit)) = (parse(low), parse(high), low) {
            if lo > hi {
                cx.error_spanned_by(
                    lit,
                    format!("`{what}` is {lo}, above the maximum {hi}; write the spec's bounds"),
                );
            }
        }
    }
    if let Some(flag) = &flatten {
        let has_other = rename.is_some()
            || constraints.min.is_some()
            || constraints.max.is_some()
            || constraints.min_items.is_some()
            || constraints.max_items.is_some()
            || constraints.pattern.is_some()
            || constraints.one_of.is_some();
        if has_other {
            cx.error_spanned_by(
                flag,
                "`flatten` takes the names and rules from the struct's `QueryParams::PARAMS`; write `#[query(flatten)]` alone and put `rename` and constraints there",
            );
        }
    }
    MarkerKind::Query {
        rename,
        constraints,
        flatten,
    }
}

/// A pattern must compile as the runtime's `regex` compiles it. An empty one would, and would
/// match anything; it is refused all the same, since it is more likely a slip than a way to
/// say "no pattern" (which is said by leaving `pattern` out).
fn check_pattern(cx: &Ctxt, lit: &LitStr) -> bool {
    let source = lit.value();
    if source.is_empty() {
        cx.error_spanned_by(
            lit,
            "invalid pattern: the pattern is empty; remove `pattern` for a parameter the spec gives none",
        );
        return false;
    }
    match pattern::check(&source) {
        Ok(()) => true,
        Err(message) => {
            cx.error_spanned_by(lit, format!("invalid pattern: {message}"));
            false
        }
    }
}
