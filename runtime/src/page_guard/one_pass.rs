//! A page read in one pass: its items decoded, the raw text of its `results` hashed and each
//! item's `id` seen as the item is decoded, without parsing the body a second time.
//!
//! Only the page's outer object is scanned here (its keys, colons and commas); every value is
//! decoded by serde_json, one at a time, from the byte where it starts, so that the byte range
//! of `results` is known without a second parse. Each item is decoded through a thin proxy
//! that watches the item's own keys for `id` and passes everything else straight through.
//!
//! It succeeds only where the plain decode of the same body succeeds with the same page, and
//! gives the same fingerprint and ids as [`inspect_results`](super::inspect_results) does; on
//! anything it is not sure of it gives up (`None`), and the caller takes the two-pass way,
//! which also names what went wrong.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::{fingerprint, id_hash, item_id};
use crate::page::WirePage;
use crate::types::Link;

/// The name serde_json gives its raw values: such a value is read without visiting it, so no
/// proxy sees into it.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The page, the fingerprint of its `results` and the hashes of its items' ids, in one pass;
/// `None` when the body is not a page this pass reads (the caller then decodes it the plain
/// way, which says why).
pub(super) fn decode_page<T: de::DeserializeOwned>(
    body: &[u8],
) -> Option<(WirePage<T>, u64, Vec<Option<u64>>)> {
    let mut cursor = Cursor { body, pos: 0 };
    cursor.eat(b'{')?;
    // Each field once, as the derived decoder insists (a repeated one is its error).
    let mut results = None;
    let mut total_count: Option<Option<u64>> = None;
    let mut links: Option<Vec<Link>> = None;
    if cursor.peek()? == b'}' {
        cursor.pos += 1;
    } else {
        loop {
            if cursor.peek()? != b'"' {
                return None;
            }
            let key: PageKey = cursor.value()?;
            cursor.eat(b':')?;
            match key {
                PageKey::Results if results.is_none() => results = Some(cursor.results::<T>()?),
                PageKey::TotalCount if total_count.is_none() => total_count = Some(cursor.value()?),
                PageKey::Links if links.is_none() => links = Some(cursor.value()?),
                PageKey::Other => {
                    cursor.value::<IgnoredAny>()?;
                }
                PageKey::Results | PageKey::TotalCount | PageKey::Links => return None,
            }
            match cursor.peek()? {
                b',' => cursor.pos += 1,
                b'}' => {
                    cursor.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    // Nothing but whitespace may follow the page.
    if cursor.peek().is_some() {
        return None;
    }
    let (items, fingerprint, ids) = results?;
    let page = WirePage::new(items, total_count.flatten(), links.unwrap_or_default());
    Some((page, fingerprint, ids))
}

/// The keys of a page, as [`WirePage`] names its fields.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum PageKey {
    Results,
    TotalCount,
    Links,
    #[serde(other)]
    Other,
}

/// A position in the body of a page.
struct Cursor<'a> {
    body: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// The next byte that is not JSON whitespace, left in place.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.body.get(self.pos) {
            self.pos += 1;
        }
        self.body.get(self.pos).copied()
    }

    /// Steps over `byte`, the next one but whitespace, or fails.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// Decodes the value that starts here, and steps over it.
    fn value<V: Deserialize<'a>>(&mut self) -> Option<V> {
        self.peek()?;
        let mut values =
            serde_json::Deserializer::from_slice(self.body.get(self.pos..)?).into_iter::<V>();
        let value = values.next()?.ok()?;
        self.pos += values.byte_offset();
        Some(value)
    }

    /// The `results` array that starts here: its items, the fingerprint of its raw text and
    /// the hashes of the items' ids.
    fn results<T: de::DeserializeOwned>(&mut self) -> Option<(Vec<T>, u64, Vec<Option<u64>>)> {
        self.peek()?;
        let start = self.pos;
        self.eat(b'[')?;
        let mut items = Vec::new();
        let mut ids = Vec::new();
        if self.peek()? != b']' {
            loop {
                self.peek()?;
                let item_start = self.pos;
                let item: Item<T> = self.value()?;
                ids.push(match item.id {
                    Some(id) => id,
                    // An item not read as an object through the proxy: its id the plain way.
                    None => item_id(self.body.get(item_start..self.pos)?),
                });
                items.push(item.value);
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.pos += 1;
        let raw = self.body.get(start..self.pos)?;
        // Bytes that are no UTF-8 in a string no item reads: the two-pass reading cannot
        // take the raw text apart, and has no fingerprint or ids for the page.
        if std::str::from_utf8(raw).is_err() {
            return Some((items, fingerprint(b""), Vec::new()));
        }
        Some((items, fingerprint(raw), ids))
    }
}

/// One item, and what the proxy saw of its `id`: `None` when it could not see it all (the
/// item was not read as an object), `Some(None)` for an item without a string `id`.
struct Item<T> {
    value: T,
    id: Option<Option<u64>>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut probe = ItemProbe::default();
        let value = T::deserialize(Watched {
            inner: deserializer,
            watch: ItemWatch(&mut probe),
        })?;
        Ok(Item {
            value,
            id: probe.id(),
        })
    }
}

/// What the proxy saw of one item.
#[derive(Default)]
struct ItemProbe {
    /// The item was read as an object through the proxy, so every one of its keys was seen
    /// (serde_json fails an object whose visitor stops early).
    read_as_object: bool,
    /// A value under `id` was read without being visited (a raw value).
    id_unseen: bool,
    /// How many keys `id` the object has: a second one makes the id unusable, as it does
    /// for the plain reading.
    id_keys: u32,
    /// The hash of the string under `id`.
    id: Option<u64>,
}

impl ItemProbe {
    fn id(&self) -> Option<Option<u64>> {
        (self.read_as_object && !self.id_unseen).then_some(self.id.filter(|_| self.id_keys == 1))
    }
}

/// What a proxy watches for, as a value passes through it to the type that decodes it.
trait Watch: Sized {
    /// The value is a string.
    fn saw_str(&mut self, _text: &str) {}

    /// The value is bytes (a type that reads strings as bytes).
    fn saw_bytes(&mut self, bytes: &[u8]) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            self.saw_str(text);
        }
    }

    /// The value is read as a raw value, unvisited.
    fn unseen(self) {}

    /// Whether a value the type skips is read anyway, to be seen.
    const READS_SKIPPED: bool = false;

    /// The value is a map, which `visitor` reads from `map`.
    fn visit_map<'de, V: Visitor<'de>, A: MapAccess<'de>>(
        self,
        visitor: V,
        map: A,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(map)
    }
}

/// Watches an item: an object is read through [`ItemMap`].
struct ItemWatch<'p>(&'p mut ItemProbe);

impl Watch for ItemWatch<'_> {
    fn visit_map<'de, V: Visitor<'de>, A: MapAccess<'de>>(
        self,
        visitor: V,
        map: A,
    ) -> Result<V::Value, A::Error> {
        self.0.read_as_object = true;
        visitor.visit_map(ItemMap {
            inner: map,
            probe: self.0,
            next_is_id: false,
        })
    }
}

/// Watches a key of an item: whether it is `id`.
struct KeyWatch<'p>(&'p mut bool);

impl Watch for KeyWatch<'_> {
    fn saw_str(&mut self, text: &str) {
        *self.0 = text == "id";
    }
}

/// Watches the value under an item's `id`: the string it is, if it is one.
struct IdWatch<'p>(&'p mut ItemProbe);

impl Watch for IdWatch<'_> {
    fn saw_str(&mut self, text: &str) {
        self.0.id = Some(id_hash(text));
    }

    fn unseen(self) {
        self.0.id_unseen = true;
    }

    // A type without an `id` field skips it; its string is still what the guard keys on.
    const READS_SKIPPED: bool = true;
}

/// The object of an item, read through: each key is watched for `id`, and only the value
/// under `id` is watched, every other one passed straight on.
struct ItemMap<'p, A> {
    inner: A,
    probe: &'p mut ItemProbe,
    next_is_id: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for ItemMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.next_is_id = false;
        self.inner.next_key_seed(WatchedSeed {
            inner: seed,
            watch: KeyWatch(&mut self.next_is_id),
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if !std::mem::take(&mut self.next_is_id) {
            return self.inner.next_value_seed(seed);
        }
        self.probe.id_keys += 1;
        self.inner.next_value_seed(WatchedSeed {
            inner: seed,
            watch: IdWatch(&mut *self.probe),
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A seed whose deserializer is watched.
struct WatchedSeed<S, W> {
    inner: S,
    watch: W,
}

impl<'de, S: DeserializeSeed<'de>, W: Watch> DeserializeSeed<'de> for WatchedSeed<S, W> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Watched {
            inner: deserializer,
            watch: self.watch,
        })
    }
}

/// A deserializer that passes every request on, its visitor watched.
struct Watched<D, W> {
    inner: D,
    watch: W,
}

/// A visitor that passes every value on, after showing it to its watch.
struct Watching<V, W> {
    inner: V,
    watch: W,
}

/// `deserialize_*` methods passed on with their arguments, the visitor watched.
macro_rules! pass_on_requests {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* Watching { inner: visitor, watch: self.watch })
        }
    )*};
}

impl<'de, D: Deserializer<'de>, W: Watch> Deserializer<'de> for Watched<D, W> {
    type Error = D::Error;

    pass_on_requests!(
        deserialize_any(),
        deserialize_bool(),
        deserialize_i8(),
        deserialize_i16(),
        deserialize_i32(),
        deserialize_i64(),
        deserialize_i128(),
        deserialize_u8(),
        deserialize_u16(),
        deserialize_u32(),
        deserialize_u64(),
        deserialize_u128(),
        deserialize_f32(),
        deserialize_f64(),
        deserialize_char(),
        deserialize_str(),
        deserialize_string(),
        deserialize_bytes(),
        deserialize_byte_buf(),
        deserialize_option(),
        deserialize_unit(),
        deserialize_seq(),
        deserialize_map(),
        deserialize_identifier(),
        deserialize_unit_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    );

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let visitor = Watching {
            inner: visitor,
            watch: self.watch,
        };
        match W::READS_SKIPPED {
            true => self.inner.deserialize_any(visitor),
            false => self.inner.deserialize_ignored_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name == RAW_VALUE_TOKEN {
            self.watch.unseen();
            return self.inner.deserialize_newtype_struct(name, visitor);
        }
        let visitor = Watching {
            inner: visitor,
            watch: self.watch,
        };
        self.inner.deserialize_newtype_struct(name, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// `visit_*` methods of scalars, passed on as they are.
macro_rules! pass_on_scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.inner.$method(value)
        }
    )*};
}

/// `visit_*` methods of strings and bytes, shown to the watch (`saw_str` or `saw_bytes`)
/// before they are passed on.
macro_rules! watch_texts {
    ($($method:ident($ty:ty) => $saw:ident),* $(,)?) => {$(
        fn $method<E: de::Error>(mut self, value: $ty) -> Result<V::Value, E> {
            self.watch.$saw(&value);
            self.inner.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>, W: Watch> Visitor<'de> for Watching<V, W> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(formatter)
    }

    pass_on_scalars!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_f32(f32),
        visit_f64(f64),
        visit_char(char),
    );

    watch_texts!(
        visit_str(&str) => saw_str,
        visit_borrowed_str(&'de str) => saw_str,
        visit_string(String) => saw_str,
        visit_bytes(&[u8]) => saw_bytes,
        visit_borrowed_bytes(&'de [u8]) => saw_bytes,
        visit_byte_buf(Vec<u8>) => saw_bytes,
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    // `Some(x)` and a newtype are still the value itself: watched the same.
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        let (visitor, deserializer) = self.watched(deserializer);
        visitor.visit_some(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        let (visitor, deserializer) = self.watched(deserializer);
        visitor.visit_newtype_struct(deserializer)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.watch.visit_map(self.inner, map)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

impl<V, W> Watching<V, W> {
    /// The visitor, and `deserializer` under the same watch: the inner value of a `Some` or a
    /// newtype is watched as the value itself.
    fn watched<D>(self, deserializer: D) -> (V, Watched<D, W>) {
        let watched = Watched {
            inner: deserializer,
            watch: self.watch,
        };
        (self.inner, watched)
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use proptest::prelude::*;

    use super::*;
    use crate::page::Page;
    use crate::page_guard::inspect_results;

    /// An item type with an `id` field.
    #[derive(Debug, PartialEq, Deserialize)]
    struct WithId {
        id: Option<String>,
        #[serde(default)]
        name: Option<serde_json::Value>,
    }

    /// An item type that skips `id`.
    #[derive(Debug, PartialEq, Deserialize)]
    struct WithoutId {
        #[serde(default)]
        name: Option<serde_json::Value>,
    }

    /// An item type serde buffers before it decodes (untagged), so the proxy sees the item
    /// through serde's own buffering.
    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Buffered {
        Named { id: String, name: String },
        Anything(serde_json::Value),
    }

    /// An item type that keeps each item's raw text, which no proxy sees into.
    #[derive(Debug, Deserialize)]
    struct Raw(Box<serde_json::value::RawValue>);

    impl PartialEq for Raw {
        fn eq(&self, other: &Self) -> bool {
            self.0.get() == other.0.get()
        }
    }

    /// Whether the one pass read `body` as a page of `T`; when it did, the page, the
    /// fingerprint and the ids are exactly what the plain decode and the two-pass reading
    /// give.
    fn read_alike<T: de::DeserializeOwned + PartialEq + Debug>(body: &[u8]) -> bool {
        let Some((wire, fingerprint, ids)) = decode_page::<T>(body) else {
            return false;
        };
        let plain: WirePage<T> = serde_json::from_slice(body).unwrap_or_else(|error| {
            panic!(
                "one pass read what the plain decode refuses ({error}): {}",
                String::from_utf8_lossy(body)
            )
        });
        assert_eq!(Page::from_wire(1, wire), Page::from_wire(1, plain));
        assert_eq!((fingerprint, ids), inspect_results(body));
        true
    }

    /// Every item type of these tests.
    fn read_alike_as_every_type(body: &[u8]) -> bool {
        let as_value = read_alike::<serde_json::Value>(body);
        read_alike::<WithId>(body);
        read_alike::<WithoutId>(body);
        read_alike::<Buffered>(body);
        read_alike::<Raw>(body);
        as_value
    }

    /// Whitespace JSON allows between tokens.
    fn space() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(""), Just(" "), Just("\n  "), Just("\t\r\n")]
    }

    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<f64>().prop_map(|n| serde_json::Value::from(n).to_string()),
            any::<String>().prop_map(|s| serde_json::Value::from(s).to_string()),
            Just(r#""\u0069d \"quoted\" \ud83d\ude00""#.to_owned()),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                (proptest::collection::vec((inner.clone(), space()), 0..5)).prop_map(|items| {
                    let items: Vec<String> = items
                        .into_iter()
                        .map(|(item, space)| format!("{space}{item}"))
                        .collect();
                    format!("[{}]", items.join(","))
                }),
                proptest::collection::vec((key(), inner, space()), 0..5)
                    .prop_map(|pairs| object(&pairs)),
            ]
        })
    }

    /// Keys that matter to a page or an item, and others.
    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("id"),
            Just("id"),
            Just("name"),
            Just("results"),
            Just("totalCount"),
            Just("links"),
            Just("i\\u0064"),
            Just("other"),
        ]
        .prop_map(str::to_owned)
    }

    /// An object of raw keys (written as they are, escapes included) and values.
    fn object(pairs: &[(String, String, &str)]) -> String {
        let pairs: Vec<String> = pairs
            .iter()
            .map(|(key, value, space)| format!("{space}\"{key}\"{space}:{space}{value}{space}"))
            .collect();
        format!("{{{}}}", pairs.join(","))
    }

    /// An item: mostly an object whose `id` is a string, or absent, null, a number or given
    /// twice; or any JSON at all.
    fn item() -> impl Strategy<Value = String> {
        let id = prop_oneof![
            "[a-f0-9]{1,6}".prop_map(|id| format!("\"{id}\"")),
            Just("null".to_owned()),
            Just("7".to_owned()),
            Just("\"a\\u00e9\"".to_owned()),
        ];
        let name = prop_oneof![
            "[a-z ]{0,8}".prop_map(|name| format!("\"{name}\"")),
            json_text()
        ];
        prop_oneof![
            4 => (proptest::collection::vec(id, 0..3), name, space()).prop_map(|(ids, name, space)| {
                let mut pairs: Vec<(String, String, &str)> =
                    ids.into_iter().map(|id| ("id".to_owned(), id, space)).collect();
                pairs.push(("name".to_owned(), name, space));
                object(&pairs)
            }),
            1 => json_text(),
        ]
    }

    /// A page: `results` (usually an array of items), `totalCount`, `links` and other keys,
    /// in any order, some missing or repeated, with any whitespace.
    fn page() -> impl Strategy<Value = String> {
        let results = prop_oneof![
            6 => (proptest::collection::vec((item(), space()), 0..6), space()).prop_map(|(items, end)| {
                let items: Vec<String> =
                    items.into_iter().map(|(item, space)| format!("{space}{item}")).collect();
                format!("[{}{end}]", items.join(","))
            }),
            1 => json_text(),
        ];
        let field = prop_oneof![
            4 => results.prop_map(|value| ("results".to_owned(), value)),
            2 => prop_oneof![Just("12".to_owned()), Just("null".to_owned()), Just("-1".to_owned()), Just("1e3".to_owned())]
                .prop_map(|value| ("totalCount".to_owned(), value)),
            2 => prop_oneof![
                Just("[]".to_owned()),
                Just(r#"[{"rel":"self","href":"https://h/x?pageNum=2"}]"#.to_owned()),
                Just("null".to_owned()),
            ]
            .prop_map(|value| ("links".to_owned(), value)),
            1 => (key(), json_text()),
        ];
        (
            proptest::collection::vec((field, space()), 0..5),
            space(),
            space(),
        )
            .prop_map(|(fields, before, after)| {
                let pairs: Vec<(String, String, &str)> = fields
                    .into_iter()
                    .map(|((key, value), space)| (key, value, space))
                    .collect();
                format!("{before}{}{after}", object(&pairs))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn one_pass_reads_a_page_as_the_plain_decode_and_the_guard_do(body in page()) {
            read_alike_as_every_type(body.as_bytes());
        }

        #[test]
        fn one_pass_gives_up_where_the_plain_decode_fails(
            body in page(),
            cut in any::<prop::sample::Index>(),
            junk in prop_oneof![Just(""), Just(","), Just("}"), Just("x"), Just("\""), Just("]")],
        ) {
            // A page cut short, or with something spliced in: read alike, or not at all.
            let at = cut.index(body.len() + 1);
            let mut spliced = body.as_bytes()[..at].to_vec();
            spliced.extend_from_slice(junk.as_bytes());
            spliced.extend_from_slice(&body.as_bytes()[at..]);
            read_alike_as_every_type(&body.as_bytes()[..at]);
            read_alike_as_every_type(&spliced);
        }

        #[test]
        fn any_bytes_are_read_alike_or_not_at_all(body in proptest::collection::vec(any::<u8>(), 0..64)) {
            read_alike_as_every_type(&body);
        }
    }

    #[test]
    fn pages_as_atlas_sends_them_are_read_in_one_pass() {
        let page = br#"{"links":[{"rel":"self","href":"https://h/x?pageNum=1"}],
            "results":[{"id":"a1","name":"x"},{"name":"no id"},{"id":"a1","id":"b2"},{"id":null}],
            "totalCount":4}"#;
        assert!(read_alike_as_every_type(page));
        let (_, _, ids) = decode_page::<WithoutId>(page).expect("a page");
        assert_eq!(ids, [Some(id_hash("a1")), None, None, None]);
        assert!(read_alike_as_every_type(br#"{"results":[]}"#));
        assert!(read_alike_as_every_type(
            b" {\"results\" : [ 1 , \"two\" , [3] ] } \n"
        ));
    }

    #[test]
    fn bytes_that_are_no_utf8_in_a_skipped_string_leave_the_page_unfingerprinted() {
        // A type that skips `note` decodes the page; the guard's two-pass reading cannot.
        let page = b"{\"results\":[{\"id\":\"a\",\"note\":\"\xff\xfe\"}]}";
        assert!(read_alike::<WithoutId>(page));
        let (_, fingerprint, ids) = decode_page::<WithoutId>(page).expect("a page");
        assert_eq!((fingerprint, ids), (super::fingerprint(b""), Vec::new()));
    }

    #[test]
    fn what_is_no_page_is_left_to_the_plain_decode() {
        for body in [
            &b""[..],
            b"null",
            b"{}",
            b"[[]]",
            br#"{"results":[],"results":[]}"#,
            br#"{"results":[1,]}"#,
            br#"{"results":[1] "totalCount":1}"#,
            br#"{"results":[1]} x"#,
            br#"{"results":[1e400]}"#,
        ] {
            assert!(
                decode_page::<serde_json::Value>(body).is_none(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
