//! The `#[atlas_endpoint]` attribute of [`atlas-endpoints`]: declare a MongoDB Atlas
//! Administration API endpoint as a trait method, get its body written for you.
//!
//! Use it through the `atlas_endpoints` crate, which re-exports it next to the `Call`,
//! `Paginated` and `Client` types the generated code needs; see [`atlas_endpoint`] for the
//! syntax.
//!
//! [`atlas-endpoints`]: https://example.invalid/atlas-endpoints
//!
//! # Explanation
//!
//! The attribute checks the declaration at compile time (the template, the arguments that
//! fill it, the options) and then writes a default body for the method. That body records
//! everything about the endpoint in one `static`, registers that `static` in the program's
//! catalog of endpoints (an `inventory` submission: a constructor that runs before `main`),
//! and makes one call into the runtime, which does the validation, encoding, sending and
//! decoding:
//!
//! ```ignore
#![doc = include_str!("../tests/expansion/get_thing.rs")]
//! ```
//!
//! becomes (this is the real expansion: a test of this crate expands the declaration above
//! and compares the result with this text)
//!
//! ```ignore
#![doc = include_str!("../tests/expansion/get_thing.expanded.rs")]
//! ```
//!
//! Every path in the expansion is absolute, so it compiles whatever the calling crate
//! imports or shadows; the `where Self: AtlasClient` bound lets any client type implement the
//! trait with an empty `impl`. When the declaration has mistakes, the attribute reports all
//! of them and still emits the method (with a body that never runs), so an `impl` of the
//! trait and the other methods keep compiling and the user sees only the real errors.
//!
//! # Stages
//!
//! One file per stage, and one short entry (`endpoint`, below) that runs them in order:
//! `ast.rs` parses the method, with `attr.rs` for the attributes; `valid.rs` checks;
//! `expand.rs` writes the body, or `fallback.rs` writes the errors and the method without it.
//! Under the stages: `ctxt.rs` collects the errors, `template.rs` parses the path template,
//! `pattern.rs` checks patterns (with `regex-syntax`, the parser of the runtime's `regex`)
//! and `case.rs` converts between snake_case and camelCase. Imports only go down: the entry
//! uses the stages; `expand` and `valid` use `ast` and `attr`, `fallback` uses `attr`; `ast`
//! uses `attr`; `attr` uses `template` and `pattern`; no module imports one that imports it.

mod ast;
mod attr;
mod case;
mod ctxt;
mod duration;
mod expand;
#[cfg(test)]
mod expand_files;
mod expand_wait;
mod fallback;
mod pattern;
mod template;
mod valid;
mod valid_wait;
mod wait;

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;

use crate::ast::Endpoint;
use crate::ctxt::Ctxt;

/// Declares an Atlas Administration API endpoint as a trait method and writes its body.
///
/// ```text
/// #[atlas_endpoint(METHOD, "TEMPLATE" [, paginated] [, idempotent] [, version = "YYYY-MM-DD"]
///                  [, operation_id = "..."] [, deprecated = "..."] [, common(envelope, pretty)]
///                  [, sunset = "YYYY-MM-DD"] [, format = "gzip" | "csv"] [, unauthenticated]
///                  [, serialize_by(group_id)] [, wait(...)])]
/// fn name(&self, args...) -> Call<T>;          // or -> Paginated<T> with `paginated`
/// ```
///
/// Put it on a method declaration (no body) inside a trait. The method must take `&self`;
/// the trait is then implemented by any client type with an empty `impl`, since the
/// generated body needs only `Self: AtlasClient`.
///
/// # Method and template
///
/// - `METHOD` is one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
/// - `"TEMPLATE"` is the path below the API prefix (`/api/atlas/v2`). It starts with `/` and
///   has no query string (`?`) or fragment (`#`); `""` is the API root itself (and `"/"` is
///   refused). Each `<snake_name>` placeholder starts a path segment, may be followed by
///   literal text in that segment (`<cluster_name>:pinFeatureCompatibilityVersion`,
///   `<log_name>.gz`), and is filled by the method argument of that name. A placeholder
///   appears once; every placeholder needs an argument.
///
/// # Options
///
/// After the template, in any order, each at most once:
///
/// - `paginated`: the endpoint lists items page by page. On `GET` the method returns
///   `Paginated<T>` where `T` is the item type; without `paginated` the method returns
///   `Call<T>`. A listing takes `pageNum`, `itemsPerPage` (1 to 500) and `includeCount`. On
///   `POST`, `PUT` and `PATCH` (a write that answers one page) the method returns
///   `Call<Page<T>>`, sent once with the paging parameters set on it; not on `DELETE`.
///   `paginated(include_count = false)` is a listing whose spec has no `includeCount`
///   (`.include_count(true)` then fails before sending, `false` sends nothing);
///   `paginated(max_items_per_page = N)` sets the `itemsPerPage` maximum, `= none` removes it.
/// - `idempotent`: a `POST` or `PATCH` that is safe to send twice, so the runtime retries it
///   after a transient failure as it does `GET`, `PUT` and `DELETE`. Only on `POST` and
///   `PATCH`.
/// - `version = "2024-11-13"`: the resource version, sent as
///   `Accept: application/vnd.atlas.2024-11-13+json`. A `YYYY-MM-DD` date or `"preview"`;
///   the default is `"2023-01-01"`.
/// - `operation_id = "listGroupClusters"`: the spec's `operationId`, ASCII letters and digits.
/// - `deprecated = "use ... instead"`: marks the method `#[deprecated]` with this note and
///   records the note in the endpoint's metadata (it is repeated in `410 VERSION_GONE`
///   errors). Do not add a `#[deprecated]` of your own next to it.
/// - `unauthenticated`: the operation takes no credentials (the spec's `security: []`); no
///   `Authorization` header is sent, no token fetched, no digest challenge answered.
/// - `serialize_by(group_id)`: names the path argument whose value keys a per-client lock:
///   calls of one client with the same value (of this endpoint and of others of the same
///   collection, e.g. the access list's create and delete) are sent one at a time.
/// - `common(envelope, pretty)`: the query parameters shared by most operations that this one
///   takes, as the spec lists them; without the option, both. Write `common(envelope)` for an
///   operation without `pretty` (then `.pretty(true)` on the call fails with an
///   `InvalidArgument` error before anything is sent, and `.pretty(false)` sends nothing),
///   `common(pretty)` for one without `envelope`, `common()` for neither. Each name at most
///   once; nothing but `envelope` and `pretty`. `envelope(default = true)` in place of
///   `envelope` says that the spec's `envelope` defaults to true: the answer is then unwrapped
///   when it comes as an envelope and decoded as is otherwise.
/// - `sunset = "2026-01-22"`: the spec's `x-sunset` of this version, a calendar date; in the
///   endpoint's metadata, the catalog and the `410 VERSION_GONE` message.
/// - `format = "gzip"` or `format = "csv"`: the answer is not JSON. `Accept` asks for
///   `application/vnd.atlas.<version>+<format>`, and the method returns `Call<Download>`,
///   which streams the body (and nothing else does).
/// - `wait(...)`: what to poll after the call, for an operation that settles later than it
///   answers; see [Waiting](#waiting).
///
/// The method returns `Call<NoContent>` for an answer without a schema (any JSON, or none).
///
/// # Waiting
///
/// ```text
/// wait(poll = get_cluster(group_id, &body.name, None, None),
///      state = state_name: ClusterDescriptionStateName,
///      pending = [Creating, Updating, Repairing], target = [Idle], failed = [],
///      [gone,] [timeout = "3h",] [delay = "30s",] [poll_interval = "30s"])
/// ```
///
/// The method then returns `Call<T, WaitFor<G>>` (`Call<T, WaitForGone<G>>` with `gone`),
/// `G` being what the polled method answers; awaiting the call is unchanged, and
/// `.wait()` sends it, then polls until the state is in `target` (or the read answers
/// `404`, with `gone`).
///
/// - `poll` is a call of a method of the same trait, written as the user calls it: the
///   method's arguments (`group_id`), fields of them (`&body.name`, sent as path text), any
///   expression (`None`), and values of the call's answer through `response`
///   (`response.id`, `crate::waiting::snapshot_id(response)`), filled in once it arrives. A
///   read may wait on itself (`poll = get_cluster(...)` on `get_cluster`), with its own
///   arguments in order. rustc checks that the method exists, takes these arguments and
///   answers `G`.
/// - `state = field: Enum` names the state field of `G` (`a.b` for a nested one; the field is
///   the enum or an `Option` of it), `state_fn = path::f: Enum` a function `fn(&G) ->
///   Option<Enum>` for a state spelled over several fields. `pending`, `target` and `failed`
///   list variants of the enum, each in one list; rustc checks the field and every variant.
///   With `: String` (a state the spec gives no enum), the lists hold string literals.
///   A state in none of the lists ends the wait with an error, as a failed one does.
/// - `gone`: the wait ends when the poll answers `404` (a deletion); `state` and `target`
///   are then optional.
/// - `timeout`, `delay` (before the first poll) and `poll_interval` are durations (`500ms`,
///   `30s`, `5m`, `3h`, `1h30m`); the defaults are 1 h, 5 s and 10 s. The caller overrides
///   each on the returned `Wait`.
///
/// The declaration
///
/// ```ignore
#[doc = include_str!("../tests/expansion/create_thing.rs")]
/// ```
///
/// becomes, with the endpoint's own `static`s as above (this is the real expansion, pinned
/// by a test as the one above is):
///
/// ```ignore
#[doc = include_str!("../tests/expansion/create_thing.expanded.rs")]
/// ```
///
/// # Arguments
///
/// Every argument after `&self` is exactly one of:
///
/// - a **path** argument: unmarked, or `#[path(pattern = "...", rename = "...")]` (both
///   optional). It fills the placeholder of the same name, so its type is `AsRef<str>`. Its
///   wire name is the camelCase of its name (`group_id` → `groupId`) unless `rename` says
///   otherwise. Before anything is sent, the value must match `pattern` when one is given;
///   no pattern is ever chosen by the argument's name, so write the spec's pattern (or none
///   when the spec has none) and the catalog equals the spec. A `pattern` is parsed at compile time by
///   `regex-syntax` with the settings and Unicode features of the runtime's `regex`, so the
///   attribute accepts what the runtime compiles and refuses the rest (and an empty
///   pattern, a likely slip): `\d`, `\w`, `\b{start}` and the general categories (`\p{L}`)
///   are in; look-around, backreferences, scripts (`\p{Greek}`) and Unicode case folding
///   (`(?i)`; `(?i-u)` folds ASCII letters) are out. Only the size of the compiled
///   automaton, which `regex` caps at 10 MiB, is not checked.
/// - a **query** argument: `#[query]` or `#[query(rename = "wireName")]`. Sent as
///   `?wireName=value` (camelCase of the name by default); an `Option` that is `None` is left
///   out. The spec's constraints go in the same marker and are checked before sending:
///   `min = N`, `max = N` (non-negative integers), `min_items = N`, `max_items = N`,
///   `pattern = "..."` (checked at compile time as for paths) and `one_of("A", "B")` (a closed
///   enum; also on `#[path]`).
/// - a **parameters struct**: `#[query(flatten)]`, alone, on an argument whose type (by
///   value or by reference) implements `QueryParams`; its `PARAMS` join the endpoint's query
///   parameters, and every value it appends is checked against them.
/// - a **header** argument: `#[header]` or `#[header(rename = "Use-Effective-Instance-Fields")]`.
///   Sent as a request header named, by default, the argument's name in Title-Case-With-Dashes
///   (`use_effective_instance_fields` → `Use-Effective-Instance-Fields`); any `QueryValue`,
///   rendered as its query text; an `Option` that is `None` sends no header. A value that is
///   no legal header value fails with `InvalidArgument` before anything is sent.
/// - the **body**: `#[body]`, at most one, on `POST`, `PUT`, `PATCH` and `GET` (the spec has one
///   GET with a body), never `DELETE`. Serialized as JSON; pass a reference or an owned value.
///   Written `Option<T>` or `Option<&T>`, `None` sends no body and no `Content-Type`.
///
/// # What the declaration records
///
/// The generated body holds one `static Endpoint` with everything above (method, template,
/// parameters with their wire names and patterns, version, pagination, idempotence, common
/// parameters, deprecation), returned by `Call::endpoint` and `Paginated::endpoint`, and
/// registers it in the program's catalog (`atlas_endpoints::catalog()`) before `main` runs,
/// whether the method is ever called or not. `Endpoint::spec_path` and
/// `Endpoint::spec_params` give it in the spec's terms.
///
/// # Example
///
/// ```ignore
/// use atlas_endpoints::{atlas_endpoint, Call, Paginated};
///
/// pub trait Backups {
///     /// Return all restore jobs for one serverless instance.
///     #[atlas_endpoint(GET, "/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs",
///         paginated, operation_id = "listGroupServerlessBackupRestoreJobs",
///         deprecated = "use the Flex restore jobs endpoint")]
///     fn list_serverless_restore_jobs(
///         &self,
///         #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
///         #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
///     ) -> Paginated<ServerlessBackupRestoreJob>;
///
///     /// Restore a snapshot of a flex cluster.
///     #[atlas_endpoint(POST, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs",
///         version = "2024-11-13", operation_id = "createGroupFlexClusterBackupRestoreJob")]
///     fn create_flex_restore_job(
///         &self,
///         #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
///         #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
///         #[body] job: &FlexBackupRestoreJobCreate,
///     ) -> Call<FlexBackupRestoreJob>;
///
///     /// Return one snapshot of a flex cluster; the spec gives this operation no `pretty`.
///     #[atlas_endpoint(GET, "/groups/<group_id>/flexClusters/<name>/backup/snapshots/<snapshot_id>",
///         version = "2024-11-13", common(envelope))]
///     fn get_flex_snapshot(
///         &self,
///         #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
///         #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str,
///         #[path(pattern = "^([a-f0-9]{24})$")] snapshot_id: &str,
///     ) -> Call<FlexBackupSnapshot>;
///
///     /// Ask for something that is safe to ask twice.
///     #[atlas_endpoint(POST, "/groups/<group_id>/things/search", idempotent)]
///     fn search_things(
///         &self,
///         #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
///         #[body] query: &ThingQuery,
///     ) -> Call<Things>;
///
///     /// Return one thing.
///     #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing>")]
///     fn get_thing(
///         &self,
///         #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
///         #[path(pattern = "^[a-z]+$", rename = "thingName")] thing: &str,
///         #[query] include_deleted: Option<bool>,
///         #[query(rename = "x-Flag")] flag: bool,
///     ) -> Call<Thing>;
/// }
///
/// impl Backups for atlas_endpoints::Client {}
/// ```
///
/// # Errors
///
/// Mistakes in the declaration are compile errors on the token at fault, all reported at
/// once; the method is still declared, so the rest of the crate keeps compiling. Among them:
///
/// - on the attribute: an unknown method, a template that does not start with `/` or holds
///   `?` or `#`, a placeholder that is malformed, written `{likeThis}`, repeated or not at the
///   start of its segment, the template `"/"`; an unknown or repeated option (the message lists the valid ones), an option in
///   the wrong shape, a version that is not `YYYY-MM-DD` or `preview`, an `operation_id` that
///   is not ASCII letters and digits, an empty `deprecated`, a `#[path(pattern)]` that is
///   empty or that the runtime's `regex` would not compile (the message is `regex-syntax`'s,
///   with where in the pattern); in `common(...)`, a name other than `envelope` or `pretty`, a
///   name given twice, or a shape other than a list;
/// - between the attribute and the method: a placeholder without its argument, an argument
///   without its placeholder or marker, a marker that contradicts the placeholder, two
///   markers on one argument, two `#[body]`s, a `#[body]` on `GET` or `DELETE`, `paginated`
///   on `DELETE`, on `GET` without `Paginated<T>` or on a write without `Call<Page<T>>`, `Paginated<T>` without
///   `paginated`, `idempotent` on `GET`, `PUT` or `DELETE`;
/// - on the signature: no `&self` (or `&mut self`, `self`), `async`, a body, a visibility, no
///   return type, an argument bound by a pattern;
/// - from rustc, on the user's tokens: a path argument that is not `AsRef<str>`, a query
///   argument that is not a `QueryValue`, a return type other than `Call<T>`/`Paginated<T>`.
///
/// `tests/ui/` in the repository holds one case per mistake, in a folder per category, with the
/// exact message.
#[proc_macro_attribute]
pub fn atlas_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    endpoint(args.into(), input.into()).into()
}

/// The stages in the order they run: parse, check, then write the body, or else the errors
/// next to the method without it.
fn endpoint(args: TokenStream2, input: TokenStream2) -> TokenStream2 {
    let Some((visibility, original)) = ast::trait_method(input.clone()) else {
        return fallback::not_a_method(input);
    };
    let cx = Ctxt::new();
    valid::check_visibility(&cx, &visibility);
    let endpoint = Endpoint::from_syn(&cx, args, &original);
    valid::check(&cx, &endpoint);
    match (cx.check(), &endpoint.attr) {
        (Ok(()), Some(attr)) => expand::expand(&endpoint, attr),
        (Err(error), _) => fallback::expand(&original, &error),
        (Ok(()), None) => unreachable!("an unparsed attribute is always reported"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use quote::ToTokens;

    /// Expands the declaration of `tests/expansion/<name>.rs` and compares the result with
    /// `<name>.expanded.rs`, the expansion the crate documentation shows. Run with
    /// `UPDATE_EXPANSION=1` to rewrite the file after a deliberate change, then review its diff.
    fn check_expansion(name: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expansion");
        let input = std::fs::read_to_string(dir.join(format!("{name}.rs"))).unwrap();
        let mut item: syn::ItemTrait = syn::parse_str(&input).unwrap();
        for trait_item in &mut item.items {
            let syn::TraitItem::Fn(method) = trait_item else {
                continue;
            };
            let position = method
                .attrs
                .iter()
                .position(|attr| attr.path().is_ident("atlas_endpoint"))
                .expect("the fixture's method carries the attribute");
            let attribute = method.attrs.remove(position);
            let args = match attribute.meta {
                syn::Meta::List(list) => list.tokens,
                _ => panic!("the fixture's attribute has arguments"),
            };
            let expanded = super::endpoint(args, method.to_token_stream());
            *trait_item = syn::parse2(expanded).expect("the expansion is a trait method");
        }
        let file = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Trait(item)],
        };
        let expanded = prettyplease::unparse(&file);
        let expected_path = dir.join(format!("{name}.expanded.rs"));
        if std::env::var_os("UPDATE_EXPANSION").is_some() {
            std::fs::write(&expected_path, &expanded).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        assert!(
            expanded == expected,
            "the expansion changed; rerun with UPDATE_EXPANSION=1 and review the diff.\n{expanded}"
        );
    }

    #[test]
    fn the_documented_expansion_is_the_real_one() {
        check_expansion("get_thing");
    }

    #[test]
    fn the_documented_expansion_of_a_waiter_is_the_real_one() {
        check_expansion("create_thing");
    }
}
