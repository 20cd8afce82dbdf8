//! Every endpoint declared in the program, gathered at start-up.
//!
//! Each `#[atlas_endpoint]` expansion submits its `static` [`Endpoint`] to an
//! [`inventory`] collection, next to the `static` itself, in the generated method body. The
//! entries are linked into the program with the crate that declares them (the facade, a
//! library, a test) and registered before `main` runs, whether the method is ever called or
//! not; [`catalog`] reads them.

use crate::endpoint::Endpoint;

/// One declared endpoint, as the expansion submits it. Not public API.
#[doc(hidden)]
pub struct CatalogEntry(pub &'static Endpoint);

inventory::collect!(CatalogEntry);

/// Every endpoint declared with `#[atlas_endpoint]` in the crates linked into this program,
/// sorted by path as the spec writes it, then method, then operation id and method name.
///
/// An endpoint declared twice (say by two libraries) appears twice. The order does not depend
/// on link order, so the listing is stable from one build to the next.
///
/// ```
/// for endpoint in atlas_endpoints_runtime::catalog() {
///     println!("{} {} ({})", endpoint.method(), endpoint.spec_path(), endpoint.version());
/// }
/// ```
pub fn catalog() -> Vec<&'static Endpoint> {
    let mut endpoints: Vec<(String, &'static Endpoint)> = inventory::iter::<CatalogEntry>
        .into_iter()
        .map(|entry| (entry.0.spec_template(), entry.0))
        .collect();
    endpoints.sort_by(|(a_path, a), (b_path, b)| {
        a_path
            .cmp(b_path)
            .then_with(|| method_rank(a).cmp(&method_rank(b)))
            .then_with(|| a.operation_id.cmp(&b.operation_id))
            .then_with(|| a.rust_name.cmp(b.rust_name))
            .then_with(|| a.version.cmp(b.version))
    });
    endpoints
        .into_iter()
        .map(|(_, endpoint)| endpoint)
        .collect()
}

fn method_rank(endpoint: &Endpoint) -> u8 {
    endpoint.method as u8
}
