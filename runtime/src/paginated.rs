//! `Paginated<T>`: what paginated endpoints return, and the stream over all their pages.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::call::{EndpointCall, FromEndpointCall, Sealed};
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::inspect::PreparedRequest;
use crate::page::{Page, WirePage};
use crate::query::PageQuery;

/// The most pages one listing fetches unless the client or the call says otherwise.
///
/// At 500 items a page that is five million items; a listing that goes on past it is far more
/// likely a server repeating itself than a real listing.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// A listing of an endpoint that answers page by page.
///
/// Set the paging parameters, then either await it for one page, or stream every item with
/// [`items`](Paginated::items), every page with [`pages`](Paginated::pages), or collect
/// everything with [`collect_all`](Paginated::collect_all).
///
/// A listing stops at an empty page, at a page shorter than `itemsPerPage`, once `totalCount`
/// items have been seen, when the page has links but none to a `next` page, or with an error
/// after the page limit ([`DEFAULT_MAX_PAGES`]): it never loops forever.
///
/// ```no_run
/// # use atlas_endpoints_runtime::{Paginated, Result};
/// # async fn run(listing: Paginated<serde_json::Value>) -> Result<()> {
/// use futures::TryStreamExt;
///
/// let items: Vec<_> = listing.items_per_page(200).items().try_collect().await?;
/// # Ok(()) }
/// ```
#[must_use = "a listing does nothing until it is awaited or streamed"]
pub struct Paginated<T> {
    source: Source<T>,
    page: PageQuery,
    max_pages: Option<u32>,
}

enum Source<T> {
    Endpoint(EndpointCall),
    Ready(Vec<T>),
}

impl<T> Sealed for Paginated<T> {}

impl<T> FromEndpointCall for Paginated<T> {
    fn from_endpoint_call(call: EndpointCall) -> Self {
        Paginated::new(Source::Endpoint(call))
    }
}

impl<T> Paginated<T> {
    fn new(source: Source<T>) -> Self {
        Paginated {
            source,
            page: PageQuery::default(),
            max_pages: None,
        }
    }

    /// A listing that sends nothing and yields `items`, in pages of `itemsPerPage`: what a
    /// test double returns from a paginated endpoint method it overrides.
    ///
    /// ```
    /// # async fn run() -> atlas_endpoints_runtime::Result<()> {
    /// use atlas_endpoints_runtime::Paginated;
    ///
    /// let listing = Paginated::from_items(vec![1, 2, 3]).items_per_page(2);
    /// assert_eq!(listing.collect_all().await?, [1, 2, 3]);
    /// # Ok(()) }
    /// ```
    pub fn from_items(items: Vec<T>) -> Self {
        Paginated::new(Source::Ready(items))
    }

    /// The page to fetch first (`pageNum`, from 1; the default is 1).
    pub fn page_num(mut self, page_num: u32) -> Self {
        self.page.page_num = Some(page_num);
        self
    }

    /// How many items each page holds (`itemsPerPage`, 1 to 500; Atlas's default is 100).
    pub fn items_per_page(mut self, items_per_page: u32) -> Self {
        self.page.items_per_page = Some(items_per_page);
        self
    }

    /// Whether Atlas counts the items of the whole listing (`includeCount`, default true).
    pub fn include_count(mut self, include_count: bool) -> Self {
        self.page.include_count = Some(include_count);
        self
    }

    /// Asks Atlas to wrap the response in an envelope (`envelope=true`); the result is the same.
    pub fn envelope(mut self, envelope: bool) -> Self {
        if let Source::Endpoint(call) = &mut self.source {
            call.common.envelope = Some(envelope);
        }
        self
    }

    /// Asks Atlas for a pretty-printed body (`pretty=true`).
    pub fn pretty(mut self, pretty: bool) -> Self {
        if let Source::Endpoint(call) = &mut self.source {
            call.common.pretty = Some(pretty);
        }
        self
    }

    /// The most pages this listing fetches before it stops with an error; by default the
    /// client's limit.
    pub fn max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = Some(max_pages.max(1));
        self
    }

    /// The endpoint this listing belongs to; `None` for [`Paginated::from_items`].
    pub fn endpoint(&self) -> Option<&'static Endpoint> {
        match &self.source {
            Source::Endpoint(call) => Some(call.endpoint()),
            Source::Ready(_) => None,
        }
    }

    /// The request for the first page as it would be sent (credentials redacted), without
    /// sending it.
    pub fn inspect(&self) -> Result<PreparedRequest> {
        match &self.source {
            Source::Endpoint(call) => call.prepare(Some(&self.first_page_query())),
            Source::Ready(_) => Err(Error::config("a ready-made listing sends no request")),
        }
    }

    /// The paging parameters of the first request, exactly as it is sent.
    fn first_page_query(&self) -> PageQuery {
        PageQuery {
            page_num: Some(self.page.page_num.unwrap_or(1)),
            ..self.page
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Paginated<T> {
    /// Every page in order, fetched one after the other as the stream is polled.
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>>> {
        let call = match self.source {
            Source::Endpoint(call) => call,
            Source::Ready(items) => {
                return stream::iter(ready_pages(items, &self.page).map(Ok)).boxed()
            }
        };
        let max_pages = self
            .max_pages
            .unwrap_or_else(|| call.client().inner().max_pages);
        let state = Listing {
            call,
            page: self.page,
            next_page: self.page.page_num.unwrap_or(1),
            fetched: 0,
            seen: 0,
            max_pages,
        };
        stream::unfold(Step::Fetch(Box::new(state)), |step| async move {
            match step {
                Step::Fetch(mut listing) => {
                    let fetched = listing.fetch().await;
                    match fetched {
                        Ok(page) => {
                            let next = listing.after(&page);
                            Some((Ok(page), next))
                        }
                        Err(error) => Some((Err(error), Step::Done)),
                    }
                }
                Step::Fail(error) => Some((Err(error), Step::Done)),
                Step::Done => None,
            }
        })
        .boxed()
    }

    /// Every item of every page, in order.
    pub fn items(self) -> BoxStream<'static, Result<T>> {
        self.pages()
            .map_ok(|page| stream::iter(page.into_results().into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    /// Every item of every page, collected.
    pub async fn collect_all(self) -> Result<Vec<T>> {
        self.items().try_collect().await
    }

    /// Fetches the one page `page_num` asks for (the first by default).
    pub async fn first_page(self) -> Result<Page<T>> {
        let query = self.first_page_query();
        match self.source {
            Source::Endpoint(call) => fetch_page(&call, &query).await,
            Source::Ready(items) => {
                let page_num = query.page_num.unwrap_or(1);
                Ok(ready_pages(items, &self.page)
                    .find(|page| page.page_num() == page_num)
                    .unwrap_or_else(|| Page::new(page_num, Vec::new())))
            }
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Paginated<T> {
    type Output = Result<Page<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.first_page())
    }
}

impl<T> fmt::Debug for Paginated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Paginated");
        match &self.source {
            Source::Endpoint(call) => out.field("call", call),
            Source::Ready(items) => out.field("ready_items", &items.len()),
        };
        out.field("page", &self.page).finish_non_exhaustive()
    }
}

/// Splits ready-made items into the pages the listing's settings ask for.
fn ready_pages<T>(items: Vec<T>, query: &PageQuery) -> impl Iterator<Item = Page<T>> {
    let per_page = query.effective_items_per_page().max(1) as usize;
    let total = items.len() as u64;
    let first = query.page_num.unwrap_or(1).max(1);
    let mut rest = items
        .into_iter()
        .skip((first as usize - 1) * per_page)
        .peekable();
    let mut page_num = first;
    std::iter::from_fn(move || {
        rest.peek()?;
        let results: Vec<T> = rest.by_ref().take(per_page).collect();
        let page = Page::new(page_num, results).with_total_count(total);
        page_num = page_num.saturating_add(1);
        Some(page)
    })
}

enum Step {
    Fetch(Box<Listing>),
    Fail(Error),
    Done,
}

struct Listing {
    call: EndpointCall,
    page: PageQuery,
    next_page: u32,
    fetched: u32,
    seen: u64,
    max_pages: u32,
}

impl Listing {
    async fn fetch<T: DeserializeOwned>(&mut self) -> Result<Page<T>> {
        let query = PageQuery {
            page_num: Some(self.next_page),
            ..self.page
        };
        let page = fetch_page(&self.call, &query).await?;
        self.fetched += 1;
        self.seen += page.results().len() as u64;
        Ok(page)
    }

    /// Decides what follows `page`: the next page, the end, or the page-limit error.
    fn after<T>(mut self: Box<Self>, page: &Page<T>) -> Step {
        let len = page.results().len() as u64;
        let is_last = len == 0
            || len < u64::from(self.page.effective_items_per_page())
            || page.total_count().is_some_and(|total| self.seen >= total)
            || (!page.links().is_empty() && page.link("next").is_none());
        if is_last {
            return Step::Done;
        }
        if self.fetched >= self.max_pages {
            return Step::Fail(
                Error::pagination(format!(
                    "fetched {} pages, the limit of this listing; raise it with `max_pages`",
                    self.fetched
                ))
                .with_endpoint(self.call.endpoint()),
            );
        }
        match self.next_page.checked_add(1) {
            Some(next) => {
                self.next_page = next;
                Step::Fetch(self)
            }
            None => Step::Done,
        }
    }
}

/// Fetches the page `query` names; `query.page_num` is always set.
async fn fetch_page<T: DeserializeOwned>(
    call: &EndpointCall,
    query: &PageQuery,
) -> Result<Page<T>> {
    let request = call.prepare(Some(query))?;
    let response = crate::send::send(call.client(), call.endpoint(), request).await?;
    let wire: WirePage<T> = crate::decode::decode_json(call.endpoint(), &response)?;
    Ok(Page::from_wire(query.page_num.unwrap_or(1), wire))
}
