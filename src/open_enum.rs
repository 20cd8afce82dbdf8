//! `open_enum!`: the string enums of the spec, tolerant of values a newer Atlas adds.
//!
//! Atlas adds enum values without a new resource version, so every enum of a response keeps
//! an unknown value in an `Other(String)` variant instead of failing the whole response. One
//! macro writes the same conversions for each: `as_str`, `From<&str>`, `Display`,
//! `Serialize` and `Deserialize`, all as Atlas spells the values; and `AsRef<str>` and
//! `QueryValue`, so an enum is accepted as a path value and as a `#[query]` value (a `Vec`
//! of them repeats the parameter). Where the spec's enum is closed for requests, the
//! declaration says `one_of(...)` on the parameter and a value outside it (`Other`) is
//! refused before sending.

/// Declares an enum whose variants map to the spec's values, plus `Other(String)`.
///
/// ```ignore
/// open_enum! {
///     /// How a restore job delivers its snapshot.
///     pub enum DeliveryType {
///         /// Atlas restores the snapshot to the target cluster.
///         Automated = "automated",
///     }
/// }
/// ```
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = $wire:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        ///
        /// Unknown values from a newer Atlas are kept in `Other` instead of failing the whole
        /// response, and are sent back as they came.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant,
            )+
            /// A value this version of the crate does not know, as Atlas wrote it.
            Other(::std::string::String),
        }

        impl $name {
            /// The value as Atlas writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(other) => other,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)+
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl $crate::QueryValue for $name {
            fn append_query(
                &self,
                name: &'static str,
                pairs: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>,
            ) {
                pairs.push((name, self.as_str().to_owned()));
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = ::std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok($name::from(value.as_ref()))
            }
        }
    };
}

pub(crate) use open_enum;
