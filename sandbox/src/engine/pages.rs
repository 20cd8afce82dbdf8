//! A listing's page as Atlas pages it: `links` (`self`, `previous`, `next`), `results`,
//! `totalCount` unless `includeCount=false`, bent by the listing quirk a test set.

use serde::Serialize;
use serde_json::{json, Value};

use crate::checks::QueryParams;
use crate::faults::{ListingQuirk, PageQuirk};
use crate::seed::Link;

/// The paging parameters of a listing (already validated against the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListParams {
    /// `pageNum`, 1 or more (default 1).
    pub page_num: u32,
    /// `itemsPerPage` (default 100).
    pub items_per_page: u32,
    /// `includeCount` (default true).
    pub include_count: bool,
}

impl ListParams {
    /// The paging parameters of a query that passed validation; what is absent takes its
    /// default.
    pub(crate) fn of(query: &QueryParams) -> Self {
        let number = |name: &str, default: u32| {
            query
                .first(name)
                .and_then(|value| value.parse::<u32>().ok())
                .unwrap_or(default)
                .max(1)
        };
        ListParams {
            page_num: number("pageNum", 1),
            items_per_page: number("itemsPerPage", 100),
            include_count: query.first("includeCount") != Some("false"),
        }
    }
}

/// Which of `len` items the page holds (empty past the end).
pub(crate) fn served(len: usize, params: ListParams, quirk: PageQuirk) -> std::ops::Range<usize> {
    let per_page = params.items_per_page as usize;
    // The quirk that repeats itself serves page 1 whatever `pageNum` says.
    let served_page = match quirk.quirk {
        ListingQuirk::SamePageForever => 1,
        _ => params.page_num as usize,
    };
    let start = served_page.saturating_sub(1).saturating_mul(per_page);
    let end = start.saturating_add(per_page).min(len);
    start.min(end)..end
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
    let range = served(items.len(), params, quirk);
    let (start, end) = (range.start, range.end);
    let results = items.get(range).unwrap_or(&[]);

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
    fn list_params_take_their_defaults() {
        let none = ListParams::of(&QueryParams::parse(None));
        assert_eq!(
            (none.page_num, none.items_per_page, none.include_count),
            (1, 100, true)
        );
        let some = ListParams::of(&QueryParams::parse(Some(
            "pageNum=3&itemsPerPage=7&includeCount=false",
        )));
        assert_eq!(
            (some.page_num, some.items_per_page, some.include_count),
            (3, 7, false)
        );
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
