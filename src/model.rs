//! `model!`: the structs of the spec's object schemas, with the serde settings they all share.
//!
//! Every model derives the same traits and names its fields in camelCase on the wire. A field
//! the spec does not require is an `Option` (a `Vec` for an array): Atlas may leave it out, so
//! it reads as `None` (empty) when absent, and it is left out of what is sent while `None`
//! (empty). A required field is read and sent as it is. One macro writes those attributes, so
//! that a model states only its fields.

/// Declares a model struct: its derives, `rename_all = "camelCase"`, and on every `Option` or
/// `Vec` field `default` with `skip_serializing_if = "Option::is_none"` (`"Vec::is_empty"`).
/// Other attributes of a field (e.g. a `rename`) are kept, as are the fields' order and docs.
///
/// ```ignore
/// model! {
///     /// A snapshot.
///     pub struct Snapshot {
///         /// The snapshot's 24-hex-digit id.
///         pub id: String,
///         /// The links of the snapshot.
///         pub links: Vec<Link>,
///         /// The MongoDB version of the cluster.
///         #[serde(rename = "mongoDBVersion")]
///         pub mongo_db_version: Option<String>,
///     }
/// }
/// ```
///
/// declares
///
/// ```ignore
/// /// A snapshot.
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// #[serde(rename_all = "camelCase")]
/// pub struct Snapshot {
///     /// The snapshot's 24-hex-digit id.
///     pub id: String,
///     /// The links of the snapshot.
///     #[serde(default, skip_serializing_if = "Vec::is_empty")]
///     pub links: Vec<Link>,
///     /// The MongoDB version of the cluster.
///     #[serde(rename = "mongoDBVersion")]
///     #[serde(default, skip_serializing_if = "Option::is_none")]
///     pub mongo_db_version: Option<String>,
/// }
/// ```
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        $crate::model::model! { @fields [$(#[$meta])*] $name [] $($fields)* }
    };
    // A field the spec does not require.
    (
        @fields $attrs:tt $name:ident [$($done:tt)*]
        $(#[$field_meta:meta])* pub $field:ident: Option<$ty:ty> $(, $($rest:tt)*)?
    ) => {
        $crate::model::model! {
            @fields $attrs $name [
                $($done)*
                $(#[$field_meta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            ]
            $($($rest)*)?
        }
    };
    // An array the spec does not require.
    (
        @fields $attrs:tt $name:ident [$($done:tt)*]
        $(#[$field_meta:meta])* pub $field:ident: Vec<$ty:ty> $(, $($rest:tt)*)?
    ) => {
        $crate::model::model! {
            @fields $attrs $name [
                $($done)*
                $(#[$field_meta])*
                #[serde(default, skip_serializing_if = "Vec::is_empty")]
                pub $field: Vec<$ty>,
            ]
            $($($rest)*)?
        }
    };
    // A required field.
    (
        @fields $attrs:tt $name:ident [$($done:tt)*]
        $(#[$field_meta:meta])* pub $field:ident: $ty:ty $(, $($rest:tt)*)?
    ) => {
        $crate::model::model! {
            @fields $attrs $name [
                $($done)*
                $(#[$field_meta])*
                pub $field: $ty,
            ]
            $($($rest)*)?
        }
    };
    (@fields [$($attrs:tt)*] $name:ident [$($done:tt)*]) => {
        $($attrs)*
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($done)*
        }
    };
}

pub(crate) use model;
