//! Query parameters: the values of `#[query]` arguments and the parameters every endpoint takes.

use chrono::{DateTime, Utc};

use crate::endpoint::CommonParams;
use crate::error::{InvalidArgument, Rule};

/// Query pairs in the order they are sent; names are the wire names of the declaration.
pub(crate) type QueryPairs = Vec<(&'static str, String)>;

/// A value that a `#[query]` argument can take.
///
/// Implemented for `bool`, the integer types, strings, `DateTime<Utc>` (RFC 3339), references,
/// `Option<T>` (`None` sends nothing) and slices and `Vec`s (one pair per element, as Atlas
/// expects for repeated parameters). Implement it for your own types to use them as
/// query arguments.
///
/// ```
/// use atlas_endpoints_runtime::QueryValue;
///
/// enum Order { Ascending, Descending }
///
/// impl QueryValue for Order {
///     fn append_query(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>) {
///         let text = match self { Order::Ascending => "asc", Order::Descending => "desc" };
///         pairs.push((name, text.to_owned()));
///     }
/// }
/// ```
pub trait QueryValue {
    /// Appends this value under `name` to the query pairs of a request.
    fn append_query(&self, name: &'static str, pairs: &mut Vec<(&'static str, String)>);
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        (**self).append_query(name, pairs);
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        if let Some(value) = self {
            value.append_query(name, pairs);
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        for value in self {
            value.append_query(name, pairs);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        self.as_slice().append_query(name, pairs);
    }
}

impl QueryValue for str {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        pairs.push((name, self.to_owned()));
    }
}

impl QueryValue for String {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        self.as_str().append_query(name, pairs);
    }
}

impl QueryValue for DateTime<Utc> {
    fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
        pairs.push((
            name,
            self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ));
    }
}

macro_rules! query_value_by_display {
    ($($ty:ty),*) => {$(
        impl QueryValue for $ty {
            fn append_query(&self, name: &'static str, pairs: &mut QueryPairs) {
                pairs.push((name, self.to_string()));
            }
        }
    )*};
}

query_value_by_display!(bool, u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

/// The parameters most endpoints accept: `envelope` and `pretty`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CommonQuery {
    pub(crate) envelope: Option<bool>,
    pub(crate) pretty: Option<bool>,
}

impl CommonQuery {
    /// Refuses `true` for a parameter the endpoint does not take. `false` is what Atlas
    /// assumes when the parameter is absent, so it is accepted and left out.
    pub(crate) fn validate(&self, accepted: CommonParams) -> Result<(), InvalidArgument> {
        for (name, value, takes) in [
            ("envelope", self.envelope, accepted.envelope),
            ("pretty", self.pretty, accepted.pretty),
        ] {
            if value == Some(true) && !takes {
                return Err(InvalidArgument {
                    parameter: name.into(),
                    value: "true".into(),
                    rule: Rule::NotAccepted,
                });
            }
        }
        Ok(())
    }

    /// Appends the parameters that were set and that the endpoint takes.
    pub(crate) fn append_to(&self, accepted: CommonParams, pairs: &mut QueryPairs) {
        if accepted.envelope {
            self.envelope.append_query("envelope", pairs);
        }
        if accepted.pretty {
            self.pretty.append_query("pretty", pairs);
        }
    }
}

/// The largest page Atlas serves.
pub(crate) const MAX_ITEMS_PER_PAGE: u32 = 500;
/// The page size Atlas uses when none is asked for.
pub(crate) const DEFAULT_ITEMS_PER_PAGE: u32 = 100;

/// The parameters of paginated endpoints.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PageQuery {
    pub(crate) page_num: Option<u32>,
    pub(crate) items_per_page: Option<u32>,
    pub(crate) include_count: Option<bool>,
}

impl PageQuery {
    /// Refuses values outside the spec's ranges, before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), InvalidArgument> {
        if let Some(page_num) = self.page_num.filter(|&n| n < 1) {
            return Err(InvalidArgument {
                parameter: "pageNum".into(),
                value: page_num.to_string(),
                rule: Rule::Range { min: 1, max: None },
            });
        }
        if let Some(items) = self
            .items_per_page
            .filter(|n| !(1..=MAX_ITEMS_PER_PAGE).contains(n))
        {
            return Err(InvalidArgument {
                parameter: "itemsPerPage".into(),
                value: items.to_string(),
                rule: Rule::Range {
                    min: 1,
                    max: Some(u64::from(MAX_ITEMS_PER_PAGE)),
                },
            });
        }
        Ok(())
    }

    /// The same parameters for page `page_num`.
    pub(crate) fn at(&self, page_num: u32) -> PageQuery {
        PageQuery {
            page_num: Some(page_num),
            ..*self
        }
    }

    pub(crate) fn effective_items_per_page(&self) -> u32 {
        self.items_per_page.unwrap_or(DEFAULT_ITEMS_PER_PAGE)
    }

    pub(crate) fn append_to(&self, pairs: &mut QueryPairs) {
        self.page_num.append_query("pageNum", pairs);
        self.items_per_page.append_query("itemsPerPage", pairs);
        self.include_count.append_query("includeCount", pairs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs_of(value: &dyn QueryValue) -> QueryPairs {
        let mut pairs = Vec::new();
        value.append_query("name", &mut pairs);
        pairs
    }

    #[test]
    fn options_slices_and_scalars_become_pairs() {
        assert!(pairs_of(&None::<bool>).is_empty());
        assert_eq!(pairs_of(&Some(true)), [("name", "true".to_owned())]);
        assert_eq!(
            pairs_of(&vec!["a", "b"]),
            [("name", "a".to_owned()), ("name", "b".to_owned())]
        );
        assert_eq!(pairs_of(&-3i64), [("name", "-3".to_owned())]);
    }

    #[test]
    fn common_parameters_an_endpoint_does_not_take_are_refused_when_true() {
        let envelope_only = CommonParams {
            envelope: true,
            pretty: false,
        };
        let pretty = CommonQuery {
            envelope: Some(true),
            pretty: Some(true),
        };
        let refused = pretty.validate(envelope_only).unwrap_err();
        assert_eq!(refused.parameter, "pretty");
        assert_eq!(refused.rule, Rule::NotAccepted);
        assert!(pretty.validate(CommonParams::ALL).is_ok());

        let not_pretty = CommonQuery {
            envelope: Some(true),
            pretty: Some(false),
        };
        assert!(not_pretty.validate(envelope_only).is_ok());
        let mut pairs = Vec::new();
        not_pretty.append_to(envelope_only, &mut pairs);
        assert_eq!(pairs, [("envelope", "true".to_owned())]);
    }

    #[test]
    fn page_query_refuses_out_of_range_values() {
        let zero = PageQuery {
            items_per_page: Some(0),
            ..PageQuery::default()
        };
        assert_eq!(zero.validate().unwrap_err().parameter, "itemsPerPage");
        let too_many = PageQuery {
            items_per_page: Some(501),
            ..PageQuery::default()
        };
        assert_eq!(too_many.validate().unwrap_err().value, "501");
        let page_zero = PageQuery {
            page_num: Some(0),
            ..PageQuery::default()
        };
        assert_eq!(page_zero.validate().unwrap_err().parameter, "pageNum");
        let fine = PageQuery {
            page_num: Some(1),
            items_per_page: Some(500),
            include_count: Some(false),
        };
        assert!(fine.validate().is_ok());
    }
}
