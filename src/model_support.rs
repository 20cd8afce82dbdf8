//! What the generated models share: decoding a union by its tag, and telling an explicit
//! `null` from an absent field.

// Which of these a build uses depends on its tag features; with few tags, none may be.
#![allow(unused)]

use serde::de::{DeserializeOwned, Deserializer, Error};
use serde::Deserialize;

/// Implements `Deserialize` for a generated union: the value of its tag field picks the
/// variant (a `match`, not serde's try-each-variant, so an error names the field that does
/// not fit that variant), and any other tag decodes into `Unknown`, keeping the JSON.
macro_rules! deserialize_by_tag {
    ($union:ident, $tag:literal, $($($value:literal)|+ => $variant:ident,)+) => {
        impl<'de> serde::Deserialize<'de> for $union {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get($tag).and_then(serde_json::Value::as_str).unwrap_or_default();
                match tag {
                    $($($value)|+ => {
                        crate::model_support::variant(value.clone(), stringify!($union), $tag, tag)
                            .map($union::$variant)
                    })+
                    _ => Ok($union::Unknown(value)),
                }
            }
        }
    };
}

pub(crate) use deserialize_by_tag;

/// Decodes one variant of a union, naming the union, its tag and the failing field.
pub(crate) fn variant<T: DeserializeOwned, E: Error>(
    value: serde_json::Value,
    union: &str,
    field: &str,
    tag: &str,
) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        E::custom(format_args!(
            "{union} with {field} {tag:?}: at `{}`: {}",
            error.path(),
            error.inner()
        ))
    })
}

/// For `Option<Option<T>>` request fields: an absent field stays `None` (through
/// `#[serde(default)]`), an explicit `null` becomes `Some(None)`.
pub(crate) fn explicit_null<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
