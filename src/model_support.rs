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

/// Implements `Deserialize` for a generated union without a tag: of the variants that
/// decode, the one that keeps the most of the answer's fields (serde's `untagged` would take
/// the first that decodes, and drop the fields only a later variant has); none decoding
/// gives `Unknown`, keeping the JSON.
macro_rules! deserialize_best_fit {
    ($union:ident, $($variant:ident),+ $(,)?) => {
        impl<'de> serde::Deserialize<'de> for $union {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let mut best: Option<(usize, $union)> = None;
                $(
                    if let Ok(inner) = serde_json::from_value(value.clone()) {
                        let candidate = $union::$variant(inner);
                        let kept = crate::model_support::fields_kept(&value, &candidate);
                        if best.as_ref().is_none_or(|(most, _)| kept > *most) {
                            best = Some((kept, candidate));
                        }
                    }
                )+
                Ok(best.map(|(_, decoded)| decoded).unwrap_or($union::Unknown(value)))
            }
        }
    };
}

pub(crate) use deserialize_best_fit;

/// How many fields of `value`, at any depth, a decoded value writes back the same.
pub(crate) fn fields_kept<T: serde::Serialize>(value: &serde_json::Value, decoded: &T) -> usize {
    fn count(input: &serde_json::Value, output: &serde_json::Value) -> usize {
        match (input, output) {
            (serde_json::Value::Object(input), serde_json::Value::Object(output)) => input
                .iter()
                .filter_map(|(key, field)| output.get(key).map(|out| 1 + count(field, out)))
                .sum(),
            (serde_json::Value::Array(input), serde_json::Value::Array(output)) => {
                input.iter().zip(output).map(|(i, o)| count(i, o)).sum()
            }
            _ => 0,
        }
    }
    serde_json::to_value(decoded).map_or(0, |output| count(value, &output))
}

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
