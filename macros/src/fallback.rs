//! What to emit when the declaration has errors: the errors, and the user's item anyway.
//!
//! Dropping the method would turn one mistake into many: every `impl Trait for Client {}`
//! would miss a method and every caller would call a method that does not exist. So the
//! method is kept, stripped of this crate's argument markers, with a body that never runs
//! (the `compile_error!` next to it stops the build first).

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::{parse_quote, Item, TraitItemFn};

use crate::attr::strip_markers;

// Input:
//
//     #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing_id>")]
//     fn get_thing(&self, group_id: &str, #[query] thing_id: &str) -> Call<Thing>;
//
// Output:
//
//     ::core::compile_error! { "argument `thing_id` fills the placeholder ..." }
//     fn get_thing(&self, group_id: &str, thing_id: &str) -> Call<Thing> {
//         ::core::unreachable!()
//     }
pub(crate) fn expand(original: &TraitItemFn, error: &syn::Error) -> TokenStream {
    let mut method = original.clone();
    strip_markers(&mut method);
    method.default = Some(parse_quote!({ ::core::unreachable!() }));
    method.semi_token = None;
    // A default body that takes `self` by value needs `Self: Sized`; say so, or rustc would
    // add its own error to the one about the receiver.
    let by_value = method
        .sig
        .receiver()
        .is_some_and(|receiver| receiver.reference.is_none());
    if by_value {
        method
            .sig
            .generics
            .make_where_clause()
            .predicates
            .push(parse_quote!(Self: ::core::marker::Sized));
    }

    let error = error.to_compile_error();
    let method = method.into_token_stream();
    quote! {
        #error
        #[allow(unused_variables, clippy::unused_self)]
        #method
    }
}

/// The attribute is on something other than a method declaration: point at the attribute,
/// say where it belongs, and give the item back untouched.
pub(crate) fn not_a_method(input: TokenStream) -> TokenStream {
    let message = match syn::parse2::<Item>(input.clone()) {
        Ok(Item::Trait(_)) => {
            "put #[atlas_endpoint] on each method of the trait, not on the trait itself"
        }
        Ok(Item::Impl(_)) => {
            "#[atlas_endpoint] belongs on a method declaration in a trait, not on an impl block; the trait's methods get their bodies from it"
        }
        _ => {
            "#[atlas_endpoint] belongs on a method declaration in a trait, as in `fn get_cluster(&self, group_id: &str, cluster_name: &str) -> Call<Cluster>;`"
        }
    };
    let error = syn::Error::new(Span::call_site(), message).to_compile_error();
    quote! {
        #error
        #input
    }
}
