//! The rules that end a listing, and the guards that keep a misbehaving server from making
//! it endless or repetitive.

mod one_pass;

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet, FxHasher};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::page::{Page, WirePage};
use crate::send::Response;

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
    /// The highest `totalCount` a page reported: a count that falls never ends the listing
    /// before pages already asked for (Atlas calls the count an estimate).
    highest_count: Option<u64>,
    fingerprints: FxHashSet<u64>,
    /// The item ids of the page before, to drop items that offset drift repeats.
    previous_ids: FxHashSet<u64>,
}

impl PageGuard {
    pub(crate) fn new(per_page: u32, max_pages: u32, endpoint: &'static Endpoint) -> Self {
        PageGuard {
            per_page: u64::from(per_page),
            max_pages,
            endpoint,
            fetched: 0,
            seen: 0,
            highest_count: None,
            fingerprints: FxHashSet::default(),
            previous_ids: FxHashSet::default(),
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
        self.highest_count = self.highest_count.max(page.total_count());
        let is_last = len == 0
            || len < self.per_page
            || self.highest_count.is_some_and(|total| self.seen >= total)
            || (!page.links().is_empty() && page.link("next").is_none());
        if is_last {
            return Ok(Verdict::Last);
        }
        if self.fetched >= self.max_pages {
            return Ok(Verdict::Limit);
        }
        Ok(Verdict::More)
    }

    /// Drops from `page` the items whose id (`ids`, by position) was on the page before, and
    /// remembers this page's ids for the next. Items without an id are always kept.
    pub(crate) fn drop_repeats<T>(&mut self, page: &mut Page<T>, ids: &[Option<u64>]) {
        let previous = std::mem::take(&mut self.previous_ids);
        if !previous.is_empty() {
            page.drop_repeats(|index| {
                ids.get(index)
                    .copied()
                    .flatten()
                    .is_some_and(|id| previous.contains(&id))
            });
        }
        self.previous_ids = ids.iter().flatten().copied().collect();
        if page.repeats_dropped() > 0 {
            tracing::warn!(
                endpoint = self.endpoint.rust_name,
                page = page.page_num(),
                repeats = page.repeats_dropped(),
                "dropped items the page before already had (the listing changed while it was paged)"
            );
        }
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

/// A listing's page decoded, with what the guard needs of its raw body: see
/// [`inspect_results`]. One pass over the body when it is a page as Atlas sends them; any
/// other body is decoded the plain way, which also names what did not fit.
pub(crate) fn decode_page<T: DeserializeOwned>(
    endpoint: &'static Endpoint,
    response: &Response,
) -> Result<(WirePage<T>, u64, Vec<Option<u64>>)> {
    if let Some(page) = one_pass::decode_page(&response.body) {
        return Ok(page);
    }
    let wire = crate::decode::decode_json(endpoint, response)?;
    let (fingerprint, ids) = inspect_results(&response.body);
    Ok((wire, fingerprint, ids))
}

/// What the guard needs of a page's raw body: a hash of its `results`, so that a page served
/// twice is recognised whatever its items' type (the hash of nothing when the body has no
/// readable `results`), and a hash of each item's `id`, by position (`None` for an item
/// without a string `id`).
pub(crate) fn inspect_results(body: &[u8]) -> (u64, Vec<Option<u64>>) {
    #[derive(Deserialize)]
    struct RawResults<'a> {
        #[serde(borrow)]
        results: &'a RawValue,
    }
    let Ok(raw) = serde_json::from_slice::<RawResults<'_>>(body) else {
        return (fingerprint(b""), Vec::new());
    };
    let ids = serde_json::from_str::<Vec<&RawValue>>(raw.results.get())
        .map(|items| {
            items
                .iter()
                .map(|item| item_id(item.get().as_bytes()))
                .collect()
        })
        .unwrap_or_default();
    (fingerprint(raw.results.get().as_bytes()), ids)
}

/// The hash of the raw text of a page's `results`.
// Not a defence against crafted collisions, only against a server repeating itself, so a
// fast non-cryptographic hash does (SipHash cost ~10% of decoding a 500-item page).
fn fingerprint(raw_results: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(raw_results);
    hasher.finish()
}

/// The hash of an item's `id`.
fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    id.hash(&mut hasher);
    hasher.finish()
}

/// The hash of the `id` of one raw item: `None` unless it is an object with one string `id`.
fn item_id(raw_item: &[u8]) -> Option<u64> {
    #[derive(Deserialize)]
    struct Id<'a> {
        #[serde(borrow, default)]
        id: Option<Cow<'a, str>>,
    }
    serde_json::from_slice::<Id<'_>>(raw_item)
        .ok()
        .and_then(|item| item.id)
        .map(|id| id_hash(&id))
}
