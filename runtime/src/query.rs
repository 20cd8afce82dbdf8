//! Query parameters: the values of `#[query]` arguments and the parameters every endpoint takes.

use chrono::{DateTime, Utc};

use crate::endpoint::{CommonParams, Endpoint, QueryParam};
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

    /// The parameters that were set and that the endpoint takes, in the order they are sent.
    pub(crate) fn pairs(&self, accepted: CommonParams) -> [Option<ParamPair>; 2] {
        let taken = |value: Option<bool>, takes: bool| value.filter(|_| takes).map(ParamText::Flag);
        [
            taken(self.envelope, accepted.envelope).map(|text| ("envelope", text)),
            taken(self.pretty, accepted.pretty).map(|text| ("pretty", text)),
        ]
    }
}

/// A paging or common parameter: its name and its text.
pub(crate) type ParamPair = (&'static str, ParamText);

/// The text of a paging or common parameter, kept on the stack: every listing request has
/// some, and they need no `String` each.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ParamText {
    Flag(bool),
    /// The decimal digits of a `u32`, right-aligned: `digits[start..]`.
    Number {
        digits: [u8; 10],
        start: usize,
    },
}

impl ParamText {
    pub(crate) fn number(mut value: u32) -> Self {
        let mut digits = [b'0'; 10];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                return ParamText::Number { digits, start };
            }
        }
    }

    /// The text as sent: what `to_string` of the value gives.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            ParamText::Flag(true) => "true",
            ParamText::Flag(false) => "false",
            ParamText::Number { digits, start } => digits
                .get(*start..)
                .and_then(|digits| std::str::from_utf8(digits).ok())
                .unwrap_or_default(),
        }
    }
}

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
    /// Refuses values outside the spec's ranges, before anything is sent; and
    /// `include_count(true)` on a listing whose spec has no `includeCount`.
    pub(crate) fn validate(&self, endpoint: &Endpoint) -> Result<(), InvalidArgument> {
        if let Some(page_num) = self.page_num.filter(|&n| n < 1) {
            return Err(InvalidArgument {
                parameter: "pageNum".into(),
                value: page_num.to_string(),
                rule: Rule::Range { min: 1, max: None },
            });
        }
        let max = endpoint.max_items_per_page();
        if let Some(items) = self
            .items_per_page
            .filter(|&n| n < 1 || max.is_some_and(|max| n > max))
        {
            return Err(InvalidArgument {
                parameter: "itemsPerPage".into(),
                value: items.to_string(),
                rule: Rule::Range {
                    min: 1,
                    max: max.map(u64::from),
                },
            });
        }
        if self.include_count == Some(true) && !endpoint.takes_include_count() {
            return Err(InvalidArgument {
                parameter: "includeCount".into(),
                value: "true".into(),
                rule: Rule::NotAccepted,
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

    /// The parameters that were set, in the order they are sent; `includeCount` only where
    /// the endpoint takes it (`validate` refused `true` elsewhere, and `false` is what its
    /// absence means).
    pub(crate) fn pairs(&self, endpoint: &Endpoint) -> [Option<ParamPair>; 3] {
        let include_count = self
            .include_count
            .filter(|_| endpoint.takes_include_count());
        [
            self.page_num.map(|n| ("pageNum", ParamText::number(n))),
            self.items_per_page
                .map(|n| ("itemsPerPage", ParamText::number(n))),
            include_count.map(|flag| ("includeCount", ParamText::Flag(flag))),
        ]
    }
}

// Operation-specific constraints and parameters structs.

/// Checks the values one parameter appended (`values`, in order) against its declared
/// constraints; the first broken rule names the parameter by its wire name.
pub(crate) fn check_values(param: &QueryParam, values: &[&str]) -> Result<(), InvalidArgument> {
    let refuse = |value: String, rule| {
        Err(InvalidArgument {
            parameter: param.wire_name().into(),
            value,
            rule,
        })
    };
    let count = values.len();
    let too_few = param
        .min_items_allowed()
        .is_some_and(|min| count > 0 && count < min);
    let too_many = param.max_items_allowed().is_some_and(|max| count > max);
    if too_few || too_many {
        return refuse(
            count.to_string(),
            Rule::Items {
                min: param.min_items_allowed().unwrap_or(0),
                max: param.max_items_allowed(),
            },
        );
    }
    for &value in values {
        if param.minimum().is_some() || param.maximum().is_some() {
            let in_range = value.parse::<u64>().is_ok_and(|n| {
                param.minimum().is_none_or(|min| n >= min)
                    && param.maximum().is_none_or(|max| n <= max)
            });
            if !in_range {
                return refuse(
                    value.to_owned(),
                    Rule::Range {
                        min: param.minimum().unwrap_or(0),
                        max: param.maximum(),
                    },
                );
            }
        }
        if let Some(pattern) = param.value_pattern() {
            if !pattern.is_match(value) {
                return refuse(value.to_owned(), Rule::Pattern(pattern.source()));
            }
        }
        let allowed = param.allowed_values();
        if !allowed.is_empty() && !allowed.contains(&value) {
            return refuse(value.to_owned(), Rule::OneOf(allowed));
        }
    }
    Ok(())
}

/// Appends `value` under `param`'s name and checks what it appended.
pub(crate) fn append_checked(
    param: &QueryParam,
    value: &dyn QueryValue,
    pairs: &mut QueryPairs,
) -> Result<(), InvalidArgument> {
    let start = pairs.len();
    value.append_query(param.wire_name(), pairs);
    if !param.is_constrained() {
        return Ok(());
    }
    let values: Vec<&str> = pairs[start..].iter().map(|(_, v)| v.as_str()).collect();
    check_values(param, &values)
}

/// Appends the pairs of a parameters struct and checks them against `params`, the
/// parameters it declares: each parameter's values, by wire name, against its constraints.
pub(crate) fn append_struct_checked(
    params: &[QueryParam],
    value: &dyn AppendQueryParams,
    pairs: &mut QueryPairs,
) -> Result<(), InvalidArgument> {
    let start = pairs.len();
    value.append_params(pairs);
    for param in params.iter().filter(|param| param.is_constrained()) {
        let values: Vec<&str> = pairs[start..]
            .iter()
            .filter(|(name, _)| *name == param.wire_name())
            .map(|(_, v)| v.as_str())
            .collect();
        check_values(param, &values)?;
    }
    Ok(())
}

/// A struct of optional query parameters, passed as one `#[query(flatten)]` argument, so a
/// caller sets only the parameters it uses instead of writing a row of `None`s.
///
/// `PARAMS` declares the parameters (their wire names and constraints); they join the
/// endpoint's [`query_params`](crate::Endpoint::query_params) and its catalog entry, and every
/// value [`append_query_params`](QueryParams::append_query_params) appends is checked against
/// them before anything is sent. A generator writes the impl; by hand it reads like this:
///
/// ```
/// use atlas_endpoints_runtime::{QueryParam, QueryParams, QueryValue};
///
/// #[derive(Debug, Default)]
/// pub struct InvoiceFilter {
///     pub from_date: Option<String>,
///     pub order_by: Option<String>,
/// }
///
/// impl QueryParams for InvoiceFilter {
///     const PARAMS: &'static [QueryParam] = &[
///         QueryParam::new("from_date", "fromDate"),
///         QueryParam::new("order_by", "orderBy").one_of(&["desc", "asc"]),
///     ];
///
///     fn append_query_params(&self, pairs: &mut Vec<(&'static str, String)>) {
///         self.from_date.append_query("fromDate", pairs);
///         self.order_by.append_query("orderBy", pairs);
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a parameters struct; implement `QueryParams` for it to pass it as `#[query(flatten)]`",
    label = "not a `QueryParams` struct"
)]
pub trait QueryParams {
    /// Every parameter the struct can send, with its constraints.
    const PARAMS: &'static [QueryParam];

    /// Appends the parameters that are set, under their wire names.
    fn append_query_params(&self, pairs: &mut Vec<(&'static str, String)>);
}

impl<T: QueryParams + ?Sized> QueryParams for &T {
    const PARAMS: &'static [QueryParam] = T::PARAMS;

    fn append_query_params(&self, pairs: &mut QueryPairs) {
        (**self).append_query_params(pairs);
    }
}

/// [`QueryParams`] without its constant, so generated code can pass a struct as a trait
/// object.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a parameters struct; implement `QueryParams` for it to pass it as `#[query(flatten)]`",
    label = "not a `QueryParams` struct"
)]
pub trait AppendQueryParams {
    fn append_params(&self, pairs: &mut QueryPairs);
}

impl<T: QueryParams + ?Sized> AppendQueryParams for T {
    fn append_params(&self, pairs: &mut QueryPairs) {
        self.append_query_params(pairs);
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
        let pairs: Vec<_> = not_pretty
            .pairs(envelope_only)
            .iter()
            .flatten()
            .map(|(name, text)| (*name, text.as_str().to_owned()))
            .collect();
        assert_eq!(pairs, [("envelope", "true".to_owned())]);
    }

    #[test]
    fn paging_numbers_are_sent_as_their_decimal_text() {
        for number in [0, 1, 9, 10, 500, 4_294_967_295] {
            assert_eq!(ParamText::number(number).as_str(), number.to_string());
        }
        assert_eq!(ParamText::Flag(false).as_str(), false.to_string());
    }

    #[test]
    fn page_query_refuses_out_of_range_values() {
        let endpoint = &crate::tests::fixtures::FREE_TEXT;
        let query = |page_num, items_per_page| PageQuery {
            page_num,
            items_per_page,
            include_count: None,
        };
        for (refused, parameter, value) in [
            (query(None, Some(0)), "itemsPerPage", "0"),
            (query(None, Some(501)), "itemsPerPage", "501"),
            (query(Some(0), None), "pageNum", "0"),
        ] {
            let error = refused.validate(endpoint).unwrap_err();
            assert_eq!(
                (error.parameter.as_ref(), error.value.as_str()),
                (parameter, value)
            );
        }
        let fine = PageQuery {
            page_num: Some(1),
            items_per_page: Some(500),
            include_count: Some(false),
        };
        assert!(fine.validate(endpoint).is_ok());
    }
}
