//! Warnings for answers that announce the end of an endpoint's version.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use http::HeaderMap;

use crate::endpoint::Endpoint;

/// Logs one warning per endpoint (per process) when Atlas answers with a `Deprecation` or
/// `Sunset` header, so a long listing does not repeat it for every page.
pub(crate) fn warn_if_deprecated(endpoint: &'static Endpoint, headers: &HeaderMap) {
    let deprecation = header_text(headers, "deprecation");
    let sunset = header_text(headers, "sunset");
    if deprecation.is_none() && sunset.is_none() {
        return;
    }
    static WARNED: OnceLock<Mutex<HashSet<usize>>> = OnceLock::new();
    let first_time = WARNED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .insert(endpoint as *const Endpoint as usize);
    if first_time {
        tracing::warn!(
            endpoint = endpoint.rust_name,
            template = endpoint.template,
            version = endpoint.version,
            deprecation = deprecation.unwrap_or("-"),
            sunset = sunset.unwrap_or("-"),
            replacement = endpoint.deprecated.unwrap_or("-"),
            "atlas announces the end of this endpoint version"
        );
    }
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}
