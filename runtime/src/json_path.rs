//! The path of the value a JSON decode failed in (`results[3].status`), found from where in
//! the text serde_json stopped.
//!
//! Tracking the path while decoding (serde_path_to_error) wraps the deserializer, so every
//! response type's whole decoder is compiled a second time for the wrapper, in every crate
//! that calls an endpoint. Reading the path off the text instead is one function, compiled
//! once, and costs nothing until a body fails.
//!
//! The path is spelled as serde_path_to_error spells it: `.` for the top, member names joined
//! by `.`, array positions as `[i]`.

use std::fmt::Write;

use serde_json::error::Category;

/// One level of the containers open at a point of the text.
struct Level {
    /// The member's name in an object (`None` before the first and after each `,`); the
    /// element's position in an array (`None` before the first).
    at: At,
    /// Whether the value of that member or element has been read to its end.
    read: bool,
}

enum At {
    Object(Option<String>),
    Array(Option<usize>),
}

/// The path of the value `error` occurred in, read off the text `body` it came from.
pub(crate) fn path_of_error(body: &[u8], error: &serde_json::Error) -> String {
    let at = offset_of(body, error.line(), error.column());
    match error.classify() {
        // Past the value of the wrong type, the unknown variant, the `}` of an object that
        // lacks a field: the path names that value.
        Category::Data => path_at(body, at, true),
        // Past the byte that did not fit, where a value or the text around values was
        // expected.
        // Elements past the fields of a struct read from an array: the array's error.
        Category::Syntax if error.to_string().starts_with("trailing characters") => {
            let mut path = path_at(body, at.saturating_sub(1), false);
            if path.ends_with(']') {
                path.truncate(path.rfind('[').unwrap_or(0));
            }
            if path.is_empty() {
                path.push('.');
            }
            path
        }
        Category::Syntax => path_at(body, at.saturating_sub(1), false),
        Category::Eof | Category::Io => path_at(body, at, false),
    }
}

/// The path at byte `offset` of the JSON text `body`: the members and positions of the
/// containers open there, down to the value being read; past the end of a value, that value
/// only if `in_value` (else the error is in the text around values, the container's, as a
/// path tracked while decoding has it).
fn path_at(body: &[u8], offset: usize, in_value: bool) -> String {
    let end = offset.min(body.len());
    let mut levels: Vec<Level> = Vec::new();
    let mut pos = 0;
    while pos < end {
        match body[pos] {
            b'{' | b'[' => {
                start_value(&mut levels);
                let at = if body[pos] == b'{' {
                    At::Object(None)
                } else {
                    At::Array(None)
                };
                levels.push(Level { at, read: false });
            }
            b'}' | b']' => {
                levels.pop();
                end_value(&mut levels);
            }
            b',' => {
                if let Some(level) = levels.last_mut() {
                    level.read = false;
                    match &mut level.at {
                        At::Object(name) => *name = None,
                        At::Array(index) => *index = Some(index.map_or(1, |i| i + 1)),
                    }
                }
            }
            b'"' => {
                let close = string_end(body, pos);
                match levels.last_mut() {
                    Some(Level {
                        at: At::Object(name @ None),
                        ..
                    }) => *name = Some(member_name(&body[pos..close])),
                    _ => {
                        start_value(&mut levels);
                        end_value(&mut levels);
                    }
                }
                pos = close;
                continue;
            }
            byte if byte.is_ascii_whitespace() || byte == b':' => {}
            // A number, `true`, `false` or `null`: read to its end.
            _ => {
                start_value(&mut levels);
                while pos + 1 < end && !is_delimiter(body[pos + 1]) {
                    pos += 1;
                }
                if pos + 1 < body.len() && is_delimiter(body[pos + 1]) {
                    end_value(&mut levels);
                }
            }
        }
        pos += 1;
    }
    // An error on an object or array of the wrong type is placed at its first byte: that
    // value is the one being read.
    if in_value && matches!(body.get(end), Some(b'{' | b'[')) {
        start_value(&mut levels);
    }
    spell(&levels, in_value)
}

fn is_delimiter(byte: u8) -> bool {
    matches!(byte, b',' | b'}' | b']' | b':') || byte.is_ascii_whitespace()
}

/// A value starts in the innermost container: in an array, that is its next element.
fn start_value(levels: &mut [Level]) {
    if let Some(Level {
        at: At::Array(index @ None),
        ..
    }) = levels.last_mut()
    {
        *index = Some(0);
    }
}

/// The innermost container's member or element has been read to its end.
fn end_value(levels: &mut [Level]) {
    if let Some(level) = levels.last_mut() {
        level.read = true;
    }
}

/// The index just past the string that starts at `start` (its opening quote), or the end of
/// the text if it never closes.
fn string_end(body: &[u8], start: usize) -> usize {
    let mut pos = start + 1;
    while pos < body.len() {
        match body[pos] {
            b'\\' => pos += 2,
            b'"' => return pos + 1,
            _ => pos += 1,
        }
    }
    body.len()
}

/// A member's name as written, its escapes read (`"a\u0062"` is `ab`); a name that does not
/// read as a JSON string is kept as written.
fn member_name(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(quoted).trim_matches('"').to_owned())
}

fn spell(levels: &[Level], in_value: bool) -> String {
    let mut path = String::new();
    for (depth, level) in levels.iter().enumerate() {
        // Past a value read to its end, an error in the text is the container's.
        if depth + 1 == levels.len() && level.read && !in_value {
            break;
        }
        match &level.at {
            At::Object(Some(name)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            At::Array(Some(index)) => {
                let _ = write!(path, "[{index}]");
            }
            At::Object(None) | At::Array(None) => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The byte offset of serde_json's error position (its line, from 1, and column, from 0:
/// the bytes of that line before the position) in `body`.
fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(index, _)| index + 1)
    };
    line_start.saturating_add(column).min(body.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::de::DeserializeOwned;
    use serde::Deserialize;
    use serde_json::Value;

    use super::{offset_of, path_at, path_of_error};

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Page {
        results: Vec<Job>,
        total_count: Option<u64>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Job {
        id: String,
        #[serde(default)]
        status: Option<Status>,
        #[serde(default)]
        snapshot: Option<Snapshot>,
        #[serde(default)]
        tags: Vec<Vec<u32>>,
        #[serde(default)]
        labels: BTreeMap<String, u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
    enum Status {
        Pending,
        Completed,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Snapshot {
        #[serde(rename = "desiredTimestamp")]
        desired_timestamp: Timestamp,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Timestamp {
        date: String,
        increment: u32,
    }

    /// The path read off the text, next to the one serde_path_to_error tracks.
    fn both<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, String) {
        let error = serde_json::from_str::<T>(body).unwrap_err();
        let read = path_of_error(body.as_bytes(), &error);
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let tracked = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .unwrap_err()
            .path()
            .to_string();
        (read, tracked)
    }

    /// Bodies that fail in each kind of place, compact and pretty-printed: the path read off
    /// the text is the one tracked while decoding.
    #[test]
    fn the_path_read_off_the_text_is_the_tracked_one() {
        let cases: &[(&str, &str)] = &[
            (r#"{"results": [{"id": 5}]}"#, "results[0].id"),
            (
                r#"{"results": [{"id": "a"}, {"id": "b", "status": "LOST"}]}"#,
                "results[1].status",
            ),
            (
                r#"{"results": [{"id": "a"}, {"status": "PENDING"}]}"#,
                "results[1]",
            ),
            (r#"{"results": [], "totalCount": "many"}"#, "totalCount"),
            (r#"{"totalCount": 3}"#, "."),
            (r#"{"results": {"id": "a"}}"#, "results"),
            (
                r#"{"results": [{"id": "a", "tags": [[1, 2], [3, "x"]]}]}"#,
                "results[0].tags[1][1]",
            ),
            (
                r#"{"results": [{"id": "a", "labels": {"k": 1, "j": -1}}]}"#,
                "results[0].labels.j",
            ),
            (
                r#"{"results": [{"id": "a", "snapshot": {"desiredTimestamp": {"date": "d", "increment": "x"}}}]}"#,
                "results[0].snapshot.desiredTimestamp.increment",
            ),
            (
                r#"{"results": [{"id": "a", "snapshot": {"desiredTimestamp": {"increment": 1}}}]}"#,
                "results[0].snapshot.desiredTimestamp",
            ),
            (
                r#"{"results": [{"id": "a, \"b\"", "status": 1}]}"#,
                "results[0].status",
            ),
            (
                r#"{"results": [{"i\u0064": "a", "status": 1}]}"#,
                "results[0].status",
            ),
            (r#"{"results": [{"id": "a"}, 7]}"#, "results[1]"),
            (r#"{"results": [{"id": "a"}"#, "results"),
            // A struct read from an array takes its fields by position.
            (r#"[1, 2]"#, "[0]"),
            (r#"[{}]"#, "[0]"),
            (r#"[[], 0, null]"#, "."),
            (r#"{"results": [{"id": "a"} {"id": "b"}]}"#, "results"),
            (
                r#"{"results": [{"id": "a", "status": }]}"#,
                "results[0].status",
            ),
        ];
        let mut wrong = Vec::new();
        for (body, expected) in cases {
            let (read, tracked) = both::<Page>(body);
            if (read.as_str(), tracked.as_str()) != (*expected, *expected) {
                wrong.push(format!(
                    "{body}: read {read}, tracked {tracked}, expected {expected}"
                ));
            }
            let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
                continue;
            };
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            let (read, tracked) = both::<Page>(&pretty);
            if read != tracked {
                wrong.push(format!("{pretty}: read {read}, tracked {tracked}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// Where the text breaks between members, the path stops at the object (a tracked path
    /// adds `?` for the name it could not read, or names the member it had read).
    #[test]
    fn text_that_is_not_json_names_the_container_it_broke_in() {
        let cases: &[(&str, &str)] = &[
            (r#"{"results": [{"id": "a" "status": 1}]}"#, "results[0]"),
            (r#"{"results": [{"id": tru}]}"#, "results[0]"),
            (r#"{"results": [{"id": "a"}], }"#, "."),
            (
                r#"{"results": [{"id": "a", "labels": {"k": 1, 2: 3}}]}"#,
                "results[0].labels",
            ),
        ];
        for (body, expected) in cases {
            let error = serde_json::from_str::<Page>(body).unwrap_err();
            assert_eq!(path_of_error(body.as_bytes(), &error), *expected, "{body}");
        }
    }

    /// Any JSON value: mostly pages of jobs with members of the right names and values of
    /// any kind, so that decoding fails at every depth.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<u32>().prop_map(Value::from),
            (-5i64..0).prop_map(Value::from),
            prop::sample::select(vec!["a", "PENDING", "COMPLETED", "LOST", "d\"\\e"])
                .prop_map(Value::from),
        ];
        let names = prop::sample::select(vec![
            "results",
            "totalCount",
            "id",
            "status",
            "snapshot",
            "desiredTimestamp",
            "date",
            "increment",
            "tags",
            "labels",
            "k",
            "other",
        ]);
        leaf.prop_recursive(5, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((names.clone(), inner), 0..5).prop_map(|members| {
                    Value::Object(
                        members
                            .into_iter()
                            .map(|(k, v)| (k.to_owned(), v))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Whatever a server sends, and wherever an error is placed in it, reading the
        /// path ends, and names something.
        #[test]
        fn any_bytes_at_any_offset_read_a_path(
            body in prop::collection::vec(
                prop::sample::select(b"{}[]\",:\\ a1-".to_vec()), 0..64),
            offset in 0usize..80,
            in_value in any::<bool>(),
        ) {
            prop_assert!(!path_at(&body, offset, in_value).is_empty());
            prop_assert!(offset_of(&body, offset / 8, offset) <= body.len());
        }

        #[test]
        fn any_value_that_does_not_fit_names_the_tracked_path(value in json(), pretty in any::<bool>()) {
            let body = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            if serde_json::from_str::<Page>(&body).is_err() {
                let (read, tracked) = both::<Page>(&body);
                prop_assert_eq!(read, tracked, "{}", body);
            }
        }
    }

    #[test]
    fn an_offset_past_the_text_or_a_position_without_a_line_reads_what_there_is() {
        assert_eq!(path_at(br#"{"a": [1, 2"#, 1000, true), "a[1]");
        assert_eq!(offset_of(b"{}", 0, 0), 0);
        assert_eq!(offset_of(b"{\n\"a\": 1}", 2, 3), 5);
        assert_eq!(offset_of(b"{}", 9, 9), 2);
        assert_eq!(path_at(b"", 0, false), ".");
    }
}
