//! Whatever the input, path formatting, query serialization and decoding either succeed with
//! the exact value or fail with a typed error; none of them panics.

use bytes::Bytes;
use http::StatusCode;
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use reqwest::Url;

use super::fixtures::FREE_TEXT;
use crate::decode::decode_json;
use crate::error::ErrorKind;
use crate::page::WirePage;
use crate::path::format_path;
use crate::pattern::{CLUSTER_NAME, OBJECT_ID};
use crate::query::QueryValue;
use crate::send::Response;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn response(body: Vec<u8>) -> Response {
    Response {
        status: StatusCode::OK,
        headers: http::HeaderMap::new(),
        body: Bytes::from(body),
        stream: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_value_is_refused_or_lands_as_exactly_one_segment(title in any::<String>()) {
        match format_path(&FREE_TEXT, &[GROUP, &title]) {
            Err(invalid) => {
                prop_assert_eq!(invalid.parameter.as_ref(), "thing");
                prop_assert!(title.is_empty() || title == "." || title == "..");
            }
            Ok(path) => {
                let prefix = format!("/groups/{GROUP}/things/");
                prop_assert!(path.starts_with(&prefix));
                let segment = &path[prefix.len()..];
                prop_assert!(!segment.contains(['/', '?', '#', ' ']));
                prop_assert!(segment.is_ascii());
                let decoded = percent_decode_str(segment).decode_utf8().unwrap();
                prop_assert_eq!(decoded.as_ref(), title.as_str());
                // And a URL parser keeps it one segment.
                let url = Url::parse(&format!("https://example.invalid{path}")).unwrap();
                prop_assert_eq!(url.path_segments().unwrap().count(), 4);
                prop_assert_eq!(url.query(), None);
            }
        }
    }

    #[test]
    fn a_patterned_value_is_sent_only_when_it_matches(group in "[a-f0-9A-Z/.%-]{0,30}") {
        let result = format_path(&FREE_TEXT, &[&group, "x"]);
        prop_assert_eq!(result.is_ok(), OBJECT_ID.is_match(&group));
    }

    #[test]
    fn cluster_names_that_pass_the_pattern_need_no_encoding(name in "\\PC{0,20}") {
        if CLUSTER_NAME.is_match(&name) {
            prop_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        }
    }

    #[test]
    fn query_values_survive_the_url_round_trip(values in proptest::collection::vec(any::<String>(), 0..4), flag in any::<Option<bool>>(), number in any::<i64>()) {
        let mut pairs = Vec::new();
        values.append_query("name", &mut pairs);
        flag.append_query("flag", &mut pairs);
        number.append_query("number", &mut pairs);
        let mut url = Url::parse("https://example.invalid/x").unwrap();
        url.query_pairs_mut().extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        let back: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let sent: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        prop_assert_eq!(back, sent);
    }

    #[test]
    fn any_bytes_decode_or_fail_with_a_decode_error(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Err(error) = decode_json::<WirePage<serde_json::Value>>(&FREE_TEXT, &response(body)) {
            prop_assert_eq!(error.kind(), ErrorKind::Decode);
        }
    }

    #[test]
    fn any_json_decodes_or_fails_with_a_decode_error(json in arbitrary_json()) {
        let body = serde_json::to_vec(&json).unwrap();
        if let Err(error) = decode_json::<WirePage<crate::types::ApiError>>(&FREE_TEXT, &response(body)) {
            prop_assert_eq!(error.kind(), ErrorKind::Decode);
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
            proptest::collection::hash_map(
                prop_oneof![
                    Just("results".to_owned()),
                    Just("error".to_owned()),
                    Just("errorCode".to_owned()),
                    any::<String>()
                ],
                inner,
                0..6
            )
            .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
}

#[test]
fn deep_nesting_and_huge_numbers_are_decode_errors_not_crashes() {
    let deep = format!(
        "{{\"results\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let error =
        decode_json::<WirePage<serde_json::Value>>(&FREE_TEXT, &response(deep.into_bytes()))
            .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);

    let huge = br#"{"results": [], "totalCount": 123456789012345678901234567890}"#.to_vec();
    let error =
        decode_json::<WirePage<serde_json::Value>>(&FREE_TEXT, &response(huge)).unwrap_err();
    assert_eq!(error.decode_path(), Some("totalCount"));

    let huge_float = br#"{"results": [1e400]}"#.to_vec();
    let error =
        decode_json::<WirePage<serde_json::Value>>(&FREE_TEXT, &response(huge_float)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Decode);
}
