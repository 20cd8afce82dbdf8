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

/// The resource version of a declaration that names none.
pub const DEFAULT_VERSION: &str = "2023-01-01";

/// The `User-Agent` header unless the builder sets another.
pub(crate) const USER_AGENT: &str = concat!("atlas-endpoints/", env!("CARGO_PKG_VERSION"));

/// The largest page Atlas serves on most listings: the `itemsPerPage` maximum of a
/// declaration that does not say `paginated(max_items_per_page = ...)`.
pub(crate) const MAX_ITEMS_PER_PAGE: u32 = 500;
