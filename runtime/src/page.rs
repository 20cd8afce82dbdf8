//! One page of a listing.

use serde::{Deserialize, Deserializer};

use crate::types::Link;

/// One page of a paginated listing: its items, the total count when Atlas sent one, and the
/// page's links.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    page_num: u32,
    results: Vec<T>,
    total_count: Option<u64>,
    links: Vec<Link>,
    /// Items the listing dropped from this page because the page before had them.
    repeats_dropped: usize,
}

/// The page as Atlas sends it; `results` is required, as in the spec.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WirePage<T> {
    results: Vec<T>,
    #[serde(default)]
    total_count: Option<u64>,
    #[serde(default)]
    links: Vec<Link>,
}

impl<T> WirePage<T> {
    pub(crate) fn new(results: Vec<T>, total_count: Option<u64>, links: Vec<Link>) -> Self {
        WirePage {
            results,
            total_count,
            links,
        }
    }
}

impl<T> Page<T> {
    pub(crate) fn from_wire(page_num: u32, wire: WirePage<T>) -> Self {
        Page {
            page_num,
            results: wire.results,
            total_count: wire.total_count,
            links: wire.links,
            repeats_dropped: 0,
        }
    }

    /// Drops the items at the positions `repeated` says, counting them.
    pub(crate) fn drop_repeats(&mut self, repeated: impl Fn(usize) -> bool) {
        let before = self.results.len();
        let mut index = 0;
        self.results.retain(|_| {
            let keep = !repeated(index);
            index += 1;
            keep
        });
        self.repeats_dropped += before - self.results.len();
    }

    /// A page of `results`, e.g. for a test double; see
    /// [`Paginated::from_items`](crate::Paginated::from_items).
    pub fn new(page_num: u32, results: Vec<T>) -> Self {
        Page {
            page_num,
            results,
            total_count: None,
            links: Vec::new(),
            repeats_dropped: 0,
        }
    }

    /// The same page with a total count.
    pub fn with_total_count(mut self, total_count: u64) -> Self {
        self.total_count = Some(total_count);
        self
    }

    /// The number of this page, counting from 1.
    pub fn page_num(&self) -> u32 {
        self.page_num
    }

    /// The items of this page.
    pub fn results(&self) -> &[T] {
        &self.results
    }

    /// The items of this page, by value.
    pub fn into_results(self) -> Vec<T> {
        self.results
    }

    /// The total number of items of the listing, when Atlas counted them
    /// (`includeCount=true`, the default). Atlas documents it as an estimate.
    pub fn total_count(&self) -> Option<u64> {
        self.total_count
    }

    /// How many items a listing dropped from this page because they had the `id` of an item
    /// on the page before: the offset drift of a listing that changed while it was paged (an
    /// item added before them pushes the last items of a page onto the next). 0 for a page
    /// fetched on its own.
    pub fn repeats_dropped(&self) -> usize {
        self.repeats_dropped
    }

    /// The page's links (`self`, and `next` and `previous` where they exist).
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The link with relation `rel`, e.g. `next`.
    pub fn link(&self, rel: &str) -> Option<&Link> {
        self.links.iter().find(|link| link.is(rel))
    }
}

/// A page decoded on its own: the answer of a write that returns one page
/// (`Call<Page<T>>`). Its number is the `pageNum` of its `self` link, or 1.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WirePage::<T>::deserialize(deserializer)?;
        let page_num = wire
            .links
            .iter()
            .find(|link| link.is("self"))
            .and_then(|link| link.href.as_deref())
            .and_then(page_num_of)
            .unwrap_or(1);
        Ok(Page::from_wire(page_num, wire))
    }
}

/// The `pageNum` of a link's query, if it has a valid one.
fn page_num_of(href: &str) -> Option<u32> {
    let (_, query) = href.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("pageNum="))
        .and_then(|value| value.parse().ok())
        .filter(|&n| n >= 1)
}
