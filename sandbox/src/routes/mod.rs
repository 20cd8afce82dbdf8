//! The sandbox's routes, one module per API area.
//!
//! To add a route: write its handler in the module of its area (or a new
//! module), register it in that module's `routes()`, and merge that into
//! [`router`]. Handlers run the guards of [`crate::checks`] in Atlas's order
//! and answer through [`crate::render`]; a backup route only describes
//! itself to `backup::Call`, which runs that shared shape.

mod backup;
pub(crate) mod flex;
pub(crate) mod serverless;

use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use serde::Serialize;
use serde_json::{json, Value};

use crate::checks::{ListParams, QueryParams};
use crate::errors::ApiError;
use crate::faults::{ListingQuirk, PageQuirk};
use crate::render::{self, Format};
use crate::seed::Link;
use crate::state::SharedState;

/// Every sandbox route, with its state applied.
pub(crate) fn router(state: SharedState) -> Router {
    Router::new()
        .merge(serverless::routes())
        .merge(flex::routes())
        .merge(crate::auth::oauth::routes())
        .with_state(state)
}

/// 405 `METHOD_NOT_ALLOWED` for a known path with an unsupported method.
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    let format = Format::lenient(&QueryParams::parse(uri.query()));
    render::error(
        ApiError::method_not_allowed(method.as_str(), uri.path()),
        format,
    )
}

/// One page of `items` as a `Paginated...View` object: `links` (`self`,
/// `previous` when `pageNum` > 1, `next` when more items follow), `results`,
/// and `totalCount` unless `includeCount=false`; bent as `quirk` says (see
/// [`ListingQuirk`]).
///
/// `path` is the canonical (already encoded) path of the list, without query.
pub(crate) fn page<T: Serialize>(
    items: &[T],
    params: ListParams,
    base_url: &str,
    path: &str,
    quirk: PageQuirk,
) -> Value {
    let per_page = params.items_per_page as usize;
    // The quirk that repeats itself serves page 1 whatever `pageNum` says.
    let served_page = match quirk.quirk {
        ListingQuirk::SamePageForever => 1,
        _ => params.page_num as usize,
    };
    let start = served_page.saturating_sub(1).saturating_mul(per_page);
    let end = start.saturating_add(per_page).min(items.len());
    let results = items.get(start..end).unwrap_or(&[]);

    let href = |page_num: u32| {
        format!(
            "{base_url}{path}?pageNum={page_num}&itemsPerPage={}",
            params.items_per_page
        )
    };
    let mut links = vec![Link::new("self", href(params.page_num))];
    if params.page_num > 1 {
        links.push(Link::new("previous", href(params.page_num - 1)));
    }
    let more = end < items.len() && start < items.len();
    let next = match quirk.quirk {
        ListingQuirk::SamePageForever | ListingQuirk::NextLinkPastTheEnd => true,
        _ => more,
    };
    if next {
        links.push(Link::new("next", href(params.page_num.saturating_add(1))));
    }

    let mut body = json!({ "links": links, "results": results });
    if params.include_count {
        let total = match quirk.quirk {
            ListingQuirk::SamePageForever => items.len().saturating_mul(10),
            _ => items.len().saturating_add(quirk.extra_count),
        };
        body["totalCount"] = Value::from(total);
    }
    body
}

/// Renders the outcome of a handler that answers a page.
pub(crate) fn respond(
    outcome: Result<Value, ApiError>,
    content_type: &'static str,
    format: Format,
) -> Response {
    match outcome {
        Ok(body) => render::object(StatusCode::OK, content_type, body, format),
        Err(error) => render::error(error, format),
    }
}

/// Renders the outcome of a handler that answers one resource.
pub(crate) fn respond_one(
    outcome: Result<Value, ApiError>,
    content_type: &'static str,
    format: Format,
) -> Response {
    match outcome {
        Ok(body) => render::single(StatusCode::OK, content_type, body, format),
        Err(error) => render::error(error, format),
    }
}

/// The JSON of one stored resource (its `Serialize` cannot fail).
pub(crate) fn to_json<T: Serialize>(item: &T) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(body: &Value) -> Vec<String> {
        body["links"]
            .as_array()
            .map(|links| {
                links
                    .iter()
                    .map(|link| link["rel"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn pages_slice_in_order() {
        let items: Vec<u32> = (0..42).collect();
        let params = |page_num, items_per_page| ListParams {
            page_num,
            items_per_page,
            include_count: true,
        };
        let normal = PageQuirk::default();
        let first = page(&items, params(1, 10), "http://h", "/p", normal);
        assert_eq!(first["results"], json!((0..10).collect::<Vec<_>>()));
        assert_eq!(rels(&first), ["self", "next"]);
        assert_eq!(
            first["links"][1]["href"],
            "http://h/p?pageNum=2&itemsPerPage=10"
        );
        let last = page(&items, params(5, 10), "http://h", "/p", normal);
        assert_eq!(last["results"], json!([40, 41]));
        assert_eq!(rels(&last), ["self", "previous"]);
        let past = page(&items, params(9, 10), "http://h", "/p", normal);
        assert_eq!(past["results"], json!([]));
        assert_eq!(past["totalCount"], 42);
        let huge = page(
            &items,
            params(i32::MAX as u32, 500),
            "http://h",
            "/p",
            normal,
        );
        assert_eq!(huge["results"], json!([]));
    }

    #[test]
    fn quirks_bend_pages() {
        let items: Vec<u32> = (0..42).collect();
        let params = |page_num| ListParams {
            page_num,
            items_per_page: 10,
            include_count: true,
        };
        let quirk = |quirk, extra_count| PageQuirk { quirk, extra_count };

        let same = quirk(ListingQuirk::SamePageForever, 0);
        for page_num in [1, 5, 9, i32::MAX as u32] {
            let body = page(&items, params(page_num), "http://h", "/p", same);
            assert_eq!(body["results"], json!((0..10).collect::<Vec<_>>()));
            assert!(rels(&body).contains(&"next".to_owned()));
            assert_eq!(body["totalCount"], 420);
        }

        let past = quirk(ListingQuirk::NextLinkPastTheEnd, 0);
        let last = page(&items, params(5), "http://h", "/p", past);
        assert_eq!(last["results"], json!([40, 41]));
        assert_eq!(rels(&last), ["self", "previous", "next"]);
        let beyond = page(&items, params(7), "http://h", "/p", past);
        assert_eq!(beyond["results"], json!([]));
        assert_eq!(
            beyond["links"][2]["href"],
            "http://h/p?pageNum=8&itemsPerPage=10"
        );
        assert_eq!(beyond["totalCount"], 42);

        let growing = quirk(ListingQuirk::GrowingCount, 30);
        let grown = page(&items, params(2), "http://h", "/p", growing);
        assert_eq!(grown["results"], json!((10..20).collect::<Vec<_>>()));
        assert_eq!(grown["totalCount"], 72);
        assert_eq!(rels(&grown), ["self", "previous", "next"]);
    }
}
