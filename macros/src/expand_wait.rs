//! Writes a valid `wait(...)`: a `static` rule, and the call handed to the runtime with its
//! poll.
//!
//! The poll is the user's own call of the polled method (`Self::get_cluster(self, ...)`),
//! the state is read by a field access and a `match` on the enum's variants, each on the
//! user's tokens: a method that does not exist, arguments of the wrong types, a missing
//! field or a variant the enum lacks are rustc's errors, reported where the user wrote them.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{Expr, Ident};

use crate::ast::Endpoint;
use crate::wait::{field_root, is_from_answer, Millis, StateSource, StateValue, WaitAttr};

/// A name of the expansion's own: with a mixed-site span, no name of the user's meets it.
fn own(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// `call`, the expression that builds the endpoint's call, with the waiter attached.
pub(crate) fn wrap(endpoint: &Endpoint, wait: &WaitAttr, call: TokenStream) -> TokenStream {
    let private = quote!(::atlas_endpoints::__private);
    let Some(poll) = &wait.poll else {
        return call;
    };
    let self_token = match endpoint.receiver {
        Some(receiver) => receiver.self_token.to_token_stream(),
        None => quote!(self),
    };
    let rule = rule(wait, &poll.method, &private);
    let (poll_var, answer) = (own("__atlas_poll"), own("__atlas_answer"));
    let rule_static = own("__ATLAS_WAIT");
    let mut from_answer = Vec::new();
    let args = poll
        .args
        .iter()
        .map(|arg| poll_arg(arg, &mut from_answer, &answer, &private));
    let args: Vec<TokenStream> = args.collect();
    let method = &poll.method;
    // A read that waits on itself polls with its own call: calling the method would recurse.
    let poll_call = if *method == endpoint.original.sig.ident {
        quote!({
            let #poll_var: #private::Call<_> = #call;
            #poll_var
        })
    } else {
        // A method call, with the user's parentheses: an error about the arguments counts
        // and points at what the user wrote.
        let mut call_args =
            proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, quote!(#(#args),*));
        call_args.set_span(poll.parens.span.join());
        quote_spanned!(method.span()=> #self_token.#method #call_args)
    };
    let read = read_state(wait, &private);
    // The poll must answer the `G` of the return type: said there, not inside the runtime.
    let poll_call = match waited_type(endpoint) {
        Some(waited) => quote_spanned! {waited.span()=>
            {
                let #poll_var: #private::Call<#waited, _> = #poll_call;
                #poll_var
            }
        },
        None => poll_call,
    };
    let names = state_names(wait, &private);
    let fill = if from_answer.is_empty() {
        quote!(|_| ::std::vec::Vec::new())
    } else {
        quote!(|#answer| ::std::vec![#(#from_answer),*])
    };
    quote! {
        static #rule_static: #private::WaitRule = #rule;
        #private::attach(
            #call,
            #poll_call,
            &#rule_static,
            #read,
            #names,
            #fill,
        )
    }
}

/// `G` of the return type `Call<T, WaitFor<G>>`.
fn waited_type<'a>(endpoint: &'a Endpoint) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = endpoint.return_type()? else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(call) = &path.path.segments.last()?.arguments else {
        return None;
    };
    let syn::GenericArgument::Type(syn::Type::Path(waiter)) = call.args.iter().nth(1)? else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(waiter) = &waiter.path.segments.last()?.arguments else {
        return None;
    };
    match waiter.args.first()? {
        syn::GenericArgument::Type(waited) => Some(waited),
        _ => None,
    }
}

/// The rule's `static` value: what is polled, the end on `404`, the timing.
fn rule(wait: &WaitAttr, method: &Ident, private: &TokenStream) -> TokenStream {
    let name = method.to_string();
    let mut rule = quote!(#private::WaitRule::new(#name));
    if wait.gone.is_some() {
        rule.extend(quote!(.gone()));
    }
    let timings = [
        ("timeout", &wait.timeout),
        ("delay", &wait.delay),
        ("poll_interval", &wait.poll_interval),
    ];
    for (setter, value) in timings {
        if let Some(Millis { value }) = value {
            let setter = Ident::new(setter, Span::call_site());
            rule.extend(quote!(.#setter(::core::time::Duration::from_millis(#value))));
        }
    }
    rule
}

/// One argument of the poll: a value of the answer becomes a stand-in (and its reading is
/// pushed to `from_answer`), a field of an argument (`&body.name`) becomes its text, and
/// anything else is passed as written.
fn poll_arg(
    arg: &Expr,
    from_answer: &mut Vec<TokenStream>,
    answer: &Ident,
    private: &TokenStream,
) -> TokenStream {
    let field = match arg {
        Expr::Reference(reference) => &*reference.expr,
        other => other,
    };
    if is_from_answer(arg) {
        let index = from_answer.len();
        let read = rename(field.to_token_stream(), "response", answer);
        from_answer.push(quote_spanned!(arg.span()=> #private::answer_value(&#read)));
        return quote_spanned!(arg.span()=> #private::DEFERRED[#index]);
    }
    if field_root(arg).is_some() {
        return quote_spanned!(arg.span()=> #private::path_value(&#field));
    }
    arg.to_token_stream()
}

/// `tokens` with the variable `from` (as [`is_from_answer`] finds it) renamed `to`.
fn rename(tokens: TokenStream, from: &str, to: &Ident) -> TokenStream {
    let mut after_punct = false;
    tokens
        .into_iter()
        .map(|token| {
            let renamed = match token {
                TokenTree::Ident(ident) if ident == from && !after_punct => {
                    TokenTree::Ident(to.clone())
                }
                TokenTree::Group(group) => {
                    let mut renamed = proc_macro2::Group::new(
                        group.delimiter(),
                        rename(group.stream(), from, to),
                    );
                    renamed.set_span(group.span());
                    TokenTree::Group(renamed)
                }
                other => other,
            };
            after_punct =
                matches!(&renamed, TokenTree::Punct(p) if p.as_char() == '.' || p.as_char() == ':');
            renamed
        })
        .collect()
}

/// The function that reads the state of a polled resource and judges it.
fn read_state(wait: &WaitAttr, private: &TokenStream) -> TokenStream {
    let Some(state) = &wait.state else {
        // A wait for `gone` without a state: every answer is still pending.
        return quote!(|_| ::core::option::Option::None);
    };
    let enum_path = &state.enum_path;
    let arm = |states: &[StateValue], verdict: &str| -> Option<TokenStream> {
        if states.is_empty() {
            return None;
        }
        let verdict = Ident::new(verdict, Span::call_site());
        let patterns = states.iter().map(|state| match state {
            StateValue::Variant(variant) => quote_spanned!(variant.span()=> #enum_path::#variant),
            StateValue::Text(lit) => lit.to_token_stream(),
        });
        Some(quote!(#(#patterns)|* => #private::Verdict::#verdict,))
    };
    let arms = [
        arm(&wait.pending, "Pending"),
        arm(&wait.target, "Target"),
        arm(&wait.failed, "Failed"),
    ];
    let arms = arms.iter().flatten();
    let (resource, value) = (own("__atlas_resource"), own("__atlas_state"));
    let state_of = match &state.source {
        StateSource::Field(fields) => {
            let span = fields.first().map_or(Span::call_site(), Ident::span);
            let access = quote_spanned!(span=> &#resource.#(#fields).*);
            quote!(#private::StateField::<#enum_path>::state(#access))
        }
        StateSource::Function(function) => {
            let call = quote_spanned!(function.span()=> #function(#resource));
            quote!(::core::option::Option::as_ref(&#call))
        }
    };
    let scrutinee = if state.is_text() {
        quote!(#value.as_str())
    } else {
        quote!(#value)
    };
    quote! {
        |#resource| #private::read_state(
            #state_of,
            |#value: &#enum_path| match #scrutinee {
                #(#arms)*
                #[allow(unreachable_patterns)]
                _ => #private::Verdict::Unexpected,
            },
        )
    }
}

/// The function that spells the listed states, for messages.
fn state_names(wait: &WaitAttr, private: &TokenStream) -> TokenStream {
    let Some(state) = &wait.state else {
        return quote!(|| #private::StateNames::default());
    };
    let enum_path = &state.enum_path;
    let list = |states: &[StateValue]| {
        let names = states.iter().map(|state| match state {
            StateValue::Variant(variant) => {
                quote_spanned!(variant.span()=> #private::state_name(&#enum_path::#variant))
            }
            StateValue::Text(lit) => quote!(::std::string::String::from(#lit)),
        });
        quote!(::std::vec![#(#names),*])
    };
    let (pending, target, failed) = (list(&wait.pending), list(&wait.target), list(&wait.failed));
    quote! {
        || #private::StateNames {
            pending: #pending,
            target: #target,
            failed: #failed,
        }
    }
}
