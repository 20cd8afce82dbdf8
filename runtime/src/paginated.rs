//! `Paginated<T>`: what paginated endpoints return, and the stream over all their pages.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::call::{call_settings, source_setters, EndpointCall, FromEndpointCall, Sealed, Source};
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::page::{Page, WirePage};
use crate::page_guard::{decode_page, PageGuard, Verdict};
use crate::query::PageQuery;
use crate::request::PreparedRequest;
use crate::send::Response;

/// A listing of an endpoint that answers page by page.
///
/// Set the paging parameters, then either await it for one page, or stream every item with
/// [`items`](Paginated::items), every page with [`pages`](Paginated::pages), or collect
/// everything with [`collect_all`](Paginated::collect_all).
///
/// Pages are numbered, so once the first page gives `totalCount` the remaining pages are
/// fetched [`concurrency`](Paginated::concurrency) at a time, and still yielded in page order;
/// without a count, pages are fetched one after the other with one page of read-ahead. Memory
/// stays bounded by the pages in flight, however long the listing.
///
/// A listing stops at an empty page, at a page shorter than `itemsPerPage`, once the highest
/// `totalCount` any page reported has been reached, or when the page has links but none to a
/// `next` page. It ends with an error when a page repeats the items of an earlier one, or
/// after [`max_pages`](Paginated::max_pages) pages: it never loops forever. A `totalCount`
/// that changes during the listing is followed (Atlas documents it as an estimate): one that
/// grows is paged on one by one until a stop rule applies; one that falls never drops a page
/// already fetched (only an empty or short page ends the listing early).
///
/// Items repeated by offset drift (a listing that changes while it is paged: an item added
/// before them pushes the last items of one page onto the next) are de-duplicated: an item
/// with the `id` of an item on the page before is dropped, with a `tracing` warning, and
/// counted in [`Page::repeats_dropped`]. Items without a string `id` are never dropped. An
/// error of a page (a decode error, an API error) names it: [`Error::page_num`], and
/// "(page 3)" in its message.
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
    source: Source<Vec<T>>,
    page: PageQuery,
    max_pages: Option<u32>,
    concurrency: Option<usize>,
}

impl<T> Sealed for Paginated<T> {}

impl<T> FromEndpointCall for Paginated<T> {
    fn from_endpoint_call(call: EndpointCall) -> Self {
        Paginated::new(Source::Endpoint(call))
    }
}

impl<T> Paginated<T> {
    fn new(source: Source<Vec<T>>) -> Self {
        Paginated {
            source,
            page: PageQuery::default(),
            max_pages: None,
            concurrency: None,
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

    setters! {
        /// The page to fetch first (`pageNum`, from 1; the default is 1).
        fn page_num(page_num: u32) => page.page_num = Some(page_num);

        /// How many items each page holds (`itemsPerPage`, 1 to 500 or the endpoint's
        /// [`max_items_per_page`](Endpoint::max_items_per_page); Atlas's default is 100).
        fn items_per_page(items_per_page: u32) => page.items_per_page = Some(items_per_page);

        /// Whether Atlas counts the items of the whole listing (`includeCount`, default true).
        /// Without a count, pages are fetched one after the other. On a listing whose spec has no
        /// `includeCount` ([`Endpoint::takes_include_count`]), `true` fails with
        /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) before anything is
        /// sent and `false` sends nothing.
        fn include_count(include_count: bool) => page.include_count = Some(include_count);

        /// The most pages this listing fetches before it stops with an error; by default the
        /// client's limit.
        fn max_pages(max_pages: u32) => max_pages = Some(max_pages.max(1));

        /// How many pages are fetched at once once the total count is known; by default the
        /// client's [`page_concurrency`](crate::ClientBuilder::page_concurrency). 1 fetches page
        /// after page.
        fn concurrency(pages: usize) => concurrency = Some(pages.max(1));
    }

    call_settings!(
        "each page request",
        ". A listing is as many calls as it has pages: bound the whole listing with \
         `tokio::time::timeout` if needed.",
        "."
    );

    /// The endpoint this listing belongs to; `None` for [`Paginated::from_items`].
    pub fn endpoint(&self) -> Option<&'static Endpoint> {
        self.source.endpoint()
    }

    /// The request for the first page as it would be sent (credentials redacted), without
    /// sending it.
    pub fn inspect(&self) -> Result<PreparedRequest> {
        match &self.source {
            Source::Endpoint(call) => call.prepare(Some(&self.page.at(self.first_page_num()))),
            Source::Ready(_) => Err(Error::config("a ready-made listing sends no request")),
        }
    }

    fn first_page_num(&self) -> u32 {
        self.page.page_num.unwrap_or(1)
    }
}

impl<T: DeserializeOwned + Send + 'static> Paginated<T> {
    /// Every page in order; see the type's documentation for how pages are fetched and when
    /// the stream ends.
    pub fn pages(self) -> BoxStream<'static, Result<Page<T>>> {
        let call = match self.source {
            Source::Endpoint(call) => call,
            Source::Ready(items) => {
                return stream::iter(ready_pages(items, &self.page).map(Ok)).boxed()
            }
        };
        let max_pages = self.max_pages.unwrap_or(call.client().max_pages);
        let concurrency = self.concurrency.unwrap_or(call.client().page_concurrency);
        listing(Arc::new(call), self.page, max_pages, concurrency)
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
        let page_num = self.first_page_num();
        match self.source {
            Source::Endpoint(call) => fetch_one_page(&call, self.page.at(page_num)).await,
            Source::Ready(items) => Ok(ready_pages(items, &self.page)
                .find(|page| page.page_num() == page_num)
                .unwrap_or_else(|| Page::new(page_num, Vec::new()))),
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

/// The pages of a listing: the first alone, then the rest of the counted pages `concurrency`
/// at a time, then, if the stop rules have not ended it, page after page with one read ahead.
/// The guard sees every page in order and decides where the listing ends.
fn listing<T: DeserializeOwned + Send + 'static>(
    call: Arc<EndpointCall>,
    query: PageQuery,
    max_pages: u32,
    concurrency: usize,
) -> BoxStream<'static, Result<Page<T>>> {
    let per_page = query.effective_items_per_page();
    let first_num = query.page_num.unwrap_or(1);
    let endpoint = call.endpoint();
    let fetch = move |page_num: u32| {
        let call = Arc::clone(&call);
        async move { fetch_page::<T>(&call, query.at(page_num)).await }
    };
    Box::pin(async_stream::try_stream! {
        let mut guard = PageGuard::new(per_page, max_pages, endpoint);
        let first = fetch(first_num).await?;
        let after_first = first_num.saturating_add(1);
        let counted_last_page = first.0.total_count().map(|total| {
            u32::try_from(total.div_ceil(u64::from(per_page))).unwrap_or(u32::MAX)
        });
        // Streams are lazy: the uncounted phase starts only if the counted one runs out.
        // `concurrency(1)` means one request at a time, read-ahead included.
        let read_ahead = concurrency.min(2);
        let rest = match counted_last_page {
            Some(last) => stream::iter(after_first..=last)
                .map(&fetch)
                .buffered(concurrency)
                .chain(
                    stream::iter(last.max(first_num).saturating_add(1)..)
                        .map(&fetch)
                        .buffered(read_ahead),
                )
                .boxed(),
            None => stream::iter(after_first..)
                .map(&fetch)
                .buffered(read_ahead)
                .boxed(),
        };
        let mut pages = stream::iter([Ok(first)]).chain(rest);
        while let Some(fetched) = pages.next().await {
            let (mut page, fingerprint, ids) = fetched?;
            let verdict = guard.check(&page, fingerprint)?;
            guard.drop_repeats(&mut page, &ids);
            yield page;
            match verdict {
                Verdict::More => {}
                Verdict::Last => return,
                Verdict::Limit => Err(guard.limit_error())?,
            }
        }
    })
}

/// Fetches one page of a listing, with a fingerprint of its raw items for the repeated-page
/// guard and the hashes of its items' ids for the repeated-item one. Its errors name the page.
async fn fetch_page<T: DeserializeOwned>(
    call: &EndpointCall,
    query: PageQuery,
) -> Result<(Page<T>, u64, Vec<Option<u64>>)> {
    let page_num = query.page_num.unwrap_or(1);
    let fetched = async {
        let response = send_page(call, &query).await?;
        let (wire, fingerprint, ids) = decode_page(call.endpoint(), &response)?;
        Ok((Page::from_wire(page_num, wire), fingerprint, ids))
    };
    fetched
        .await
        .map_err(|error: Error| error.with_page_num(page_num))
}

/// Fetches one page on its own: no guard follows it, so nothing but the page is read.
async fn fetch_one_page<T: DeserializeOwned>(
    call: &EndpointCall,
    query: PageQuery,
) -> Result<Page<T>> {
    let page_num = query.page_num.unwrap_or(1);
    let fetched = async {
        let response = send_page(call, &query).await?;
        let wire: WirePage<T> = crate::decode::decode_json(call.endpoint(), &response)?;
        Ok(Page::from_wire(page_num, wire))
    };
    fetched
        .await
        .map_err(|error: Error| error.with_page_num(page_num))
}

/// Sends the request of one page.
async fn send_page(call: &EndpointCall, query: &PageQuery) -> Result<Response> {
    let request = call.prepare(Some(query))?;
    crate::send::send(call.client(), call.endpoint(), request, call.options).await
}

/// Splits ready-made items into the pages the listing's settings ask for.
fn ready_pages<T>(items: Vec<T>, query: &PageQuery) -> impl Iterator<Item = Page<T>> {
    let per_page = query.effective_items_per_page().max(1) as usize;
    let total = items.len() as u64;
    let first = query.page_num.unwrap_or(1).max(1);
    let skip = (first as usize - 1).saturating_mul(per_page);
    let mut rest = items.into_iter().skip(skip).peekable();
    let mut page_num = first;
    std::iter::from_fn(move || {
        rest.peek()?;
        let results: Vec<T> = rest.by_ref().take(per_page).collect();
        let page = Page::new(page_num, results).with_total_count(total);
        page_num = page_num.saturating_add(1);
        Some(page)
    })
}
