//! Every default the client starts from, in one place at the bottom of the crate, so that the
//! modules that use them never have to import each other for a constant.

/// Where Atlas lives, unless the builder or `MONGODB_ATLAS_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// The path below the base URL where the Administration API v2 lives.
pub const DEFAULT_API_PREFIX: &str = "/api/atlas/v2";

/// The most pages one listing fetches unless the client or the call says otherwise.
///
/// At 500 items a page that is five million items; a listing that goes on past it is far more
/// likely a server repeating itself than a real listing.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// How many pages a listing fetches at once once it knows the total count.
///
/// Four pages in flight hide most of the latency of a distant server (a listing of 100 pages
/// takes about a quarter of the sequential time) while staying far from Atlas's rate limits,
/// which count requests per minute per project and organization: bursts of more parallel
/// requests buy little and risk `429` answers that cost a `Retry-After` wait.
pub const DEFAULT_PAGE_CONCURRENCY: usize = 4;

/// Whether a client paces itself under the rate limit Atlas announces
/// (`RateLimit-Remaining`, `429` with `Retry-After`) unless the builder says otherwise.
///
/// On: it costs nothing while Atlas sends no such header, and once Atlas says a limit is near it
/// turns the `429`s that concurrent listings would meet (each a `Retry-After` wait and a spent
/// retry) into short waits before sending; `tests/pacing.rs` in the runtime measures both.
pub const DEFAULT_PACING: bool = true;

/// The resource version of a declaration that names none.
pub const DEFAULT_VERSION: &str = "2023-01-01";

/// The `User-Agent` header unless the builder sets another.
pub(crate) const USER_AGENT: &str = concat!("atlas-endpoints/", env!("CARGO_PKG_VERSION"));

/// The largest page Atlas serves on most listings: the `itemsPerPage` maximum of a
/// declaration that does not say `paginated(max_items_per_page = ...)`.
pub(crate) const MAX_ITEMS_PER_PAGE: u32 = 500;

/// The whole-call timeout unless the builder or the call says otherwise: the bound of
/// everything one call does, its token request, every attempt and every retry wait.
///
/// Five minutes is the worst case the other defaults allow (3 attempts of at most
/// [`DEFAULT_ATTEMPT_TIMEOUT`], and two waits of at most a minute's `Retry-After`), so by
/// default it cuts only what nothing else bounds: a call queued behind a stalled token request,
/// or waits that add up. A main job never hangs for ever.
pub const DEFAULT_CALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The per-attempt timeout unless the builder or the call says otherwise: the bound of one
/// HTTP exchange, from sending the request to the end of the body (to the headers, for a
/// download).
///
/// Atlas answers in well under a second, and its slowest pages (500 items) in a few seconds; a
/// minute without the whole answer is a stalled server or network, and a repeatable request is
/// better sent again on a fresh connection.
pub const DEFAULT_ATTEMPT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The bound of a service account's token request unless the builder says otherwise.
///
/// The token is shared by every clone of a client and fetched under a lock, so a stalled token
/// endpoint would freeze them all: this bound always applies, even to clients built without
/// call and attempt timeouts.
pub const DEFAULT_TOKEN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The bound of opening a connection (TCP and TLS) unless the builder says otherwise; a
/// refused or unreachable address fails well before, a black-holed one after this.
pub const DEFAULT_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The largest JSON answer a call reads unless the client or the call says otherwise: a body
/// past it fails with [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge), and
/// nothing past the cap is buffered.
///
/// Atlas's largest JSON answers are pages of 500 items, a few MiB at most; 32 MiB leaves ten
/// times that, and bounds what a broken or hostile server can make a client hold. Downloads
/// (`Call<Download>`) are streamed and never capped.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// The largest answer of a token or revocation request: a token answer is a few KiB.
pub(crate) const MAX_TOKEN_ANSWER_BYTES: usize = 1024 * 1024;

/// The longest URL a request may have, and so the longest a path value may be once encoded:
/// RFC 9110 (§4.1) asks servers to take URLs of 8000 octets at least, and no more; a longer one
/// fails at some proxy or server (or, at 1 MB, in the client) with an error naming nothing.
pub(crate) const MAX_URL_BYTES: usize = 8000;
