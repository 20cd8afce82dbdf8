//! The arguments a waiter's poll takes from the call: a field of an argument (`&body.name`)
//! or of the call's answer (`response.id`), as path text.
//!
//! Such fields are `String`, `Option<String>` or an enum of the spec; the marker parameter
//! `M` lets one function take each, without the impls overlapping.

/// A value that a path segment can be made of; `None` when an `Option` holds nothing.
#[doc(hidden)]
pub trait PathText<M> {
    fn path_text(&self) -> Option<&str>;
}

#[doc(hidden)]
pub struct Plain;
#[doc(hidden)]
pub struct Optional;

impl<T: AsRef<str> + ?Sized> PathText<Plain> for T {
    fn path_text(&self) -> Option<&str> {
        Some(self.as_ref())
    }
}

impl<T: AsRef<str>> PathText<Optional> for Option<T> {
    fn path_text(&self) -> Option<&str> {
        self.as_ref().map(AsRef::as_ref)
    }
}

/// A field of an argument as a path value; an empty one (which the path check refuses,
/// naming the parameter) when the field holds nothing.
#[doc(hidden)]
pub fn path_value<M, V: PathText<M> + ?Sized>(value: &V) -> &str {
    value.path_text().unwrap_or_default()
}

/// A field of the call's answer as a path value, for [`EndpointCall::fill_deferred`].
///
/// [`EndpointCall::fill_deferred`]: crate::call::EndpointCall
#[doc(hidden)]
pub fn answer_value<M, V: PathText<M> + ?Sized>(value: &V) -> Option<String> {
    value.path_text().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_options_of_strings_are_path_text() {
        assert_eq!(path_value(&String::from("c1")), "c1");
        assert_eq!(path_value(&Some(String::from("c1"))), "c1");
        assert_eq!(path_value(&None::<String>), "");
        assert_eq!(
            answer_value(&Some("5e2211c17a3e5a48f5497de0")),
            Some("5e2211c17a3e5a48f5497de0".to_owned())
        );
        assert_eq!(answer_value(&None::<String>), None);
    }
}
