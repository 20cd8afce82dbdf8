//! The rules that end a listing, and the guards that keep a misbehaving server from making
//! it endless or repetitive.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use serde::Deserialize;

use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::page::Page;

/// Whether more pages follow the page just checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    More,
    Last,
    /// More pages follow, but the listing has fetched as many as it may.
    Limit,
}

/// Follows one listing page by page, in order.
pub(crate) struct PageGuard {
    per_page: u64,
    max_pages: u32,
    endpoint: &'static Endpoint,
    fetched: u32,
    seen: u64,
    fingerprints: HashSet<u64>,
}

impl PageGuard {
    pub(crate) fn new(per_page: u32, max_pages: u32, endpoint: &'static Endpoint) -> Self {
        PageGuard {
            per_page: u64::from(per_page),
            max_pages,
            endpoint,
            fetched: 0,
            seen: 0,
            fingerprints: HashSet::new(),
        }
    }

    /// Checks the next page of the listing: whether it ends it, or whether the listing must
    /// stop with an error because the server repeats itself or the page limit is reached.
    pub(crate) fn check<T>(&mut self, page: &Page<T>, fingerprint: u64) -> Result<Verdict> {
        let len = page.results().len() as u64;
        self.fetched += 1;
        self.seen += len;
        if len > 0 && !self.fingerprints.insert(fingerprint) {
            return Err(self.stop(format!(
                "page {} repeats the items of an earlier page; the server is not advancing",
                page.page_num()
            )));
        }
        let is_last = len == 0
            || len < self.per_page
            || page.total_count().is_some_and(|total| self.seen >= total)
            || (!page.links().is_empty() && page.link("next").is_none());
        if is_last {
            return Ok(Verdict::Last);
        }
        if self.fetched >= self.max_pages {
            return Ok(Verdict::Limit);
        }
        Ok(Verdict::More)
    }

    /// The error that ends a listing after [`Verdict::Limit`].
    pub(crate) fn limit_error(&self) -> Error {
        self.stop(format!(
            "fetched {} pages, the limit of this listing, and more follow; raise it with `max_pages`",
            self.fetched
        ))
    }

    fn stop(&self, message: String) -> Error {
        Error::pagination(message).with_endpoint(self.endpoint)
    }
}

/// A hash of a page's raw `results`, so that a page served twice is recognised whatever its
/// items' type; 0 when the body has no readable `results`.
pub(crate) fn fingerprint(body: &[u8]) -> u64 {
    #[derive(Deserialize)]
    struct RawResults<'a> {
        #[serde(borrow)]
        results: &'a serde_json::value::RawValue,
    }
    // Not a defence against crafted collisions, only against a server repeating itself, so
    // a fast non-cryptographic hash does (SipHash cost ~10% of decoding a 500-item page).
    let mut hasher = rustc_hash::FxHasher::default();
    if let Ok(raw) = serde_json::from_slice::<RawResults<'_>>(body) {
        raw.results.get().hash(&mut hasher);
    }
    hasher.finish()
}
