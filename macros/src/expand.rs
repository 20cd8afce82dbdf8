//! Writes the body of a valid endpoint declaration: one `static` describing the endpoint and
//! one call into the runtime.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;
use syn::{parse_quote, ReturnType, Type};

use crate::ast::{Arg, Endpoint};
use crate::attr::{strip_markers, EndpointAttr, MarkerKind, QueryConstraints};
use crate::case::{snake_to_camel, snake_to_header};
use crate::template::Segment;

// What this writes for a typical declaration is pinned, with its input, in
// `tests/expansion/` and shown in the crate documentation; a test keeps the two equal.
//
// The user's tokens keep their spans, so rustc's own errors (a path argument that is not
// `AsRef<str>`, a query argument that is not a `QueryValue`, a return type that is not a
// `Call<T>`) point at the argument type or the return type the user wrote.
pub(crate) fn expand(endpoint: &Endpoint, attr: &EndpointAttr) -> TokenStream {
    let private = quote!(::atlas_endpoints::__private);
    let mut method = endpoint.original.clone();
    strip_markers(&mut method);

    method
        .sig
        .generics
        .make_where_clause()
        .predicates
        .push(parse_quote!(Self: #private::AtlasClient));
    if let Some(note) = &attr.deprecated {
        method.attrs.push(parse_quote!(#[deprecated(note = #note)]));
    }

    let statics = endpoint_static(endpoint, attr, &private);
    let mut call = call(endpoint, attr);
    if let Some(wait) = &attr.wait {
        call = crate::expand_wait::wrap(endpoint, wait, call);
    }
    method.default = Some(parse_quote!({
        #statics
        #call
    }));
    method.semi_token = None;
    method.into_token_stream()
}

/// The `static`s: one per custom pattern, then the endpoint, then its entry in the catalog
/// (`inventory::submit!` expands to a `static` and a constructor that runs before `main`).
fn endpoint_static(endpoint: &Endpoint, attr: &EndpointAttr, private: &TokenStream) -> TokenStream {
    let mut patterns = Vec::new();
    let mut path_params = Vec::new();
    for (index, arg) in path_args(endpoint, attr).enumerate() {
        let name = &arg.name;
        let (custom, rename, one_of) = match &arg.marker {
            Some(marker) => match &marker.kind {
                MarkerKind::Path {
                    pattern,
                    rename,
                    one_of,
                } => (pattern.as_ref(), rename.as_ref(), one_of.as_ref()),
                _ => (None, None, None),
            },
            None => (None, None, None),
        };
        let wire_name = match rename {
            Some(rename) => rename.value(),
            None => snake_to_camel(name),
        };
        let pattern = if let Some(source) = custom {
            let ident = format_ident!("__ATLAS_PATTERN_{}", index, span = Span::mixed_site());
            patterns.push(quote! {
                static #ident: #private::Pattern = #private::Pattern::new(#source);
            });
            Some(quote!(#ident))
        } else {
            // No pattern by name: a declaration states the spec's pattern, or has none.
            None
        };
        let one_of = one_of.map(|values| quote!(.one_of(&[#(#values),*])));
        path_params.push(match pattern {
            Some(pattern) => {
                quote!(#private::PathParam::with_pattern(#name, #wire_name, &#pattern) #one_of)
            }
            None => quote!(#private::PathParam::new(#name, #wire_name) #one_of),
        });
    }

    let placeholders: Vec<&str> = attr.parsed.placeholders().collect();
    let segments = attr.parsed.segments.iter().map(|segment| match segment {
        Segment::Literal(text) => quote!(#private::Segment::Literal(#text)),
        Segment::Param(name) => {
            let index = placeholders.iter().position(|p| p == name).unwrap_or(0);
            let index = Literal::usize_unsuffixed(index);
            quote!(#private::Segment::Param(#index))
        }
    });

    let query_params: Vec<TokenStream> = query_args(endpoint)
        .enumerate()
        .map(|(index, (arg, rename, constraints))| {
            let name = &arg.name;
            let wire_name = match rename {
                Some(rename) => rename.value(),
                None => snake_to_camel(name),
            };
            let constraints = query_constraints(constraints, index, &mut patterns, private);
            quote!(#private::QueryParam::new(#name, #wire_name) #constraints)
        })
        .collect();
    // `#[query(flatten)]` structs: their parameters follow the arguments' own, joined into
    // one array in a `static` since `QueryParams::PARAMS` is only known to rustc.
    let flattened: Vec<TokenStream> = flatten_args(endpoint)
        .map(|arg| {
            let ty = strip_references(arg.ty);
            quote_spanned!(ty.span()=> <#ty as ::atlas_endpoints::__private::QueryParams>::PARAMS)
        })
        .collect();
    let mut query_static = TokenStream::new();
    let query_params_option = if flattened.is_empty() {
        (!query_params.is_empty()).then(|| quote!(.query_params(&[#(#query_params),*])))
    } else {
        let own = Literal::usize_unsuffixed(query_params.len());
        let (len, all) = (
            format_ident!("__ATLAS_QUERY_LEN", span = Span::mixed_site()),
            format_ident!("__ATLAS_QUERY_PARAMS", span = Span::mixed_site()),
        );
        query_static = quote! {
            const #len: usize = #own #(+ #flattened.len())*;
            static #all: [#private::QueryParam; #len] = #private::concat_query_params::<#len>(
                &[&[#(#query_params),*], #(#flattened),*],
            );
        };
        Some(quote!(.query_params(&#all).flattened_params(#len - #own)))
    };

    let endpoint_ident = endpoint_ident();
    let rust_name = endpoint.original.sig.ident.unraw().to_string();
    let method = {
        let method = attr.method.expect("an unknown method is always reported");
        let variant = syn::Ident::new(method.variant(), attr.method_ident.span());
        quote!(#private::Method::#variant)
    };
    let template = &attr.template;

    // Only what the declaration says is written out; the runtime's builder holds the
    // defaults, so a typical expansion stays a few lines long.
    let mut options = Vec::new();
    if let Some(operation_id) = &attr.operation_id {
        options.push(quote!(.operation_id(#operation_id)));
    }
    if let Some(query_params) = query_params_option {
        options.push(query_params);
    }
    if let Some(common) = &attr.common {
        let (envelope, pretty) = (common.envelope.is_some(), common.pretty.is_some());
        options.push(quote! {
            .common(#private::CommonParams { envelope: #envelope, pretty: #pretty })
        });
    }
    if body_arg(endpoint).is_some() {
        options.push(quote!(.body()));
    }
    if let Some(version) = &attr.version {
        options.push(quote!(.version(#version)));
    }
    if attr.paginated.is_some() {
        options.push(quote!(.paginated()));
        if attr.page_options.include_count.is_some() {
            options.push(quote!(.include_count(false)));
        }
        match &attr.page_options.max_items_per_page {
            Some(Some(max)) => options.push(quote! {
                .max_items_per_page(::core::option::Option::Some(#max))
            }),
            Some(None) => options.push(quote! {
                .max_items_per_page(::core::option::Option::None)
            }),
            None => {}
        }
    }
    if attr.idempotent.is_some() {
        options.push(quote!(.idempotent()));
    }
    if let Some(note) = &attr.deprecated {
        options.push(quote!(.deprecated(#note)));
    }
    // Answers and lifecycle (issue 10, shapes 5, 9 and 14).
    if let Some(sunset) = &attr.sunset {
        options.push(quote!(.sunset(#sunset)));
    }
    if let Some(format) = &attr.format {
        options.push(quote!(.format(#format)));
    }
    if attr
        .common
        .as_ref()
        .is_some_and(|common| common.envelope_default_true)
    {
        options.push(quote!(.envelope_default(true)));
    }
    // Issue 10, shapes 7 and 8.
    let header_params: Vec<TokenStream> = header_args(endpoint)
        .map(|(arg, rename)| {
            let name = &arg.name;
            let wire_name = match rename {
                Some(rename) => rename.value(),
                None => snake_to_header(name),
            };
            quote!(#private::HeaderParam::new(#name, #wire_name))
        })
        .collect();
    if !header_params.is_empty() {
        options.push(quote!(.header_params(&[#(#header_params),*])));
    }
    if attr.unauthenticated.is_some() {
        options.push(quote!(.unauthenticated()));
    }
    let serialize_by = attr.serialize_by.as_ref().and_then(|name| {
        let name = name.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        placeholders.iter().position(|p| *p == name)
    });
    if let Some(index) = serialize_by {
        let index = Literal::usize_unsuffixed(index);
        options.push(quote!(.serialize_by(#index)));
    }

    quote! {
        #(#patterns)*
        #query_static
        static #endpoint_ident: #private::Endpoint = #private::Endpoint::builder(
            #method,
            #rust_name,
            #template,
            &[#(#segments),*],
            &[#(#path_params),*],
        )
        #(#options)*
        .module_path(::core::module_path!())
        .build();
        #private::inventory::submit! {
            #private::CatalogEntry(&#endpoint_ident)
        }
    }
}

/// The one call into the runtime, spanned on the declared return type so that a return type
/// the runtime cannot produce is reported there.
fn call(endpoint: &Endpoint, attr: &EndpointAttr) -> TokenStream {
    let sig = &endpoint.original.sig;
    let self_token = match endpoint.receiver {
        Some(receiver) => receiver.self_token.to_token_stream(),
        None => quote!(self),
    };
    // The runtime's paths carry the span of the user's token they are about, so rustc puts
    // an unmet bound on that token rather than on the attribute.
    let private_at = |span: Span| quote_spanned!(span=> ::atlas_endpoints::__private);
    let private = private_at(Span::call_site());
    let client = quote!(#private::AtlasClient::atlas_client(#self_token));

    let path_values = path_args(endpoint, attr).map(|arg| {
        let (ident, private) = (arg.ident, private_at(arg.ty.span()));
        quote_spanned!(arg.ty.span()=> #private::AsRef::<str>::as_ref(&#ident))
    });
    let query_values = query_args(endpoint).map(|(arg, _, _)| {
        let (ident, private) = (arg.ident, private_at(arg.ty.span()));
        quote_spanned!(arg.ty.span()=> &#ident as &dyn #private::QueryValue)
    });
    let body = match body_arg(endpoint) {
        Some(arg) => {
            let ident = arg.ident;
            if is_option(arg.ty) {
                // `None` sends no body and no `Content-Type`; `Option<T>` and `Option<&T>`
                // both become an `Option<&_>` of something `Serialize`.
                quote_spanned!(arg.ty.span()=> ::core::option::Option::as_ref(&#ident))
            } else if is_reference(arg.ty) {
                quote_spanned!(arg.ty.span()=> ::core::option::Option::Some(#ident))
            } else {
                quote_spanned!(arg.ty.span()=> ::core::option::Option::Some(&#ident))
            }
        }
        None => quote!(::core::option::Option::None::<&()>),
    };

    let endpoint_ident = endpoint_ident();
    let return_span = match &sig.output {
        ReturnType::Type(_, ty) => ty.span(),
        ReturnType::Default => sig.ident.span(),
    };
    let private = private_at(return_span);
    let header_values: Vec<TokenStream> = header_args(endpoint)
        .map(|(arg, _)| {
            let (ident, private) = (arg.ident, private_at(arg.ty.span()));
            quote_spanned!(arg.ty.span()=> &#ident as &dyn #private::QueryValue)
        })
        .collect();
    let structs: Vec<TokenStream> = flatten_args(endpoint)
        .map(|arg| {
            let (ident, private) = (arg.ident, private_at(arg.ty.span()));
            quote_spanned!(arg.ty.span()=> &#ident as &dyn #private::AppendQueryParams)
        })
        .collect();
    // Most declarations have neither parameters structs nor headers: they keep the short call.
    if !structs.is_empty() || !header_values.is_empty() {
        return quote_spanned! {return_span=>
            #private::endpoint_call_full(
                #client,
                &#endpoint_ident,
                &[#(#path_values),*],
                &[#(#query_values),*],
                &[#(#structs),*],
                &[#(#header_values),*],
                #body,
            )
        };
    }
    quote_spanned! {return_span=>
        #private::endpoint_call(
            #client,
            &#endpoint_ident,
            &[#(#path_values),*],
            &[#(#query_values),*],
            #body,
        )
    }
}

/// The const setters of a query parameter's constraints, in a fixed order; a pattern becomes
/// a `static` of its own, pushed to `patterns`.
fn query_constraints(
    constraints: &QueryConstraints,
    index: usize,
    patterns: &mut Vec<TokenStream>,
    private: &TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    for (setter, value) in [
        ("min", &constraints.min),
        ("max", &constraints.max),
        ("min_items", &constraints.min_items),
        ("max_items", &constraints.max_items),
    ] {
        if let Some(value) = value {
            let setter = format_ident!("{}", setter);
            let value = Literal::u64_unsuffixed(value.base10_parse::<u64>().unwrap_or(0));
            out.extend(quote!(.#setter(#value)));
        }
    }
    if let Some(source) = &constraints.pattern {
        let ident = format_ident!("__ATLAS_QUERY_PATTERN_{}", index, span = Span::mixed_site());
        patterns.push(quote! {
            static #ident: #private::Pattern = #private::Pattern::new(#source);
        });
        out.extend(quote!(.pattern(&#ident)));
    }
    if let Some(values) = &constraints.one_of {
        out.extend(quote!(.one_of(&[#(#values),*])));
    }
    out
}

fn endpoint_ident() -> syn::Ident {
    syn::Ident::new("__ATLAS_ENDPOINT", Span::mixed_site())
}

/// The arguments that fill placeholders, in template order.
fn path_args<'e, 'a>(
    endpoint: &'e Endpoint<'a>,
    attr: &'e EndpointAttr,
) -> impl Iterator<Item = &'e Arg<'a>> {
    attr.parsed
        .placeholders()
        .filter_map(|name| endpoint.arg(name))
}

/// The `#[query]` arguments with their `rename` and constraints, in declaration order;
/// `#[query(flatten)]` ones are apart (`flatten_args`).
fn query_args<'e, 'a>(
    endpoint: &'e Endpoint<'a>,
) -> impl Iterator<Item = (&'e Arg<'a>, Option<&'e syn::LitStr>, &'e QueryConstraints)> {
    endpoint.args.iter().filter_map(|arg| match &arg.marker {
        Some(marker) => match &marker.kind {
            MarkerKind::Query {
                rename,
                constraints,
                flatten: None,
            } => Some((arg, rename.as_ref(), constraints)),
            _ => None,
        },
        None => None,
    })
}

/// The `#[header]` arguments with their `rename`, in declaration order.
fn header_args<'e, 'a>(
    endpoint: &'e Endpoint<'a>,
) -> impl Iterator<Item = (&'e Arg<'a>, Option<&'e syn::LitStr>)> {
    endpoint.args.iter().filter_map(|arg| match &arg.marker {
        Some(marker) => match &marker.kind {
            MarkerKind::Header { rename } => Some((arg, rename.as_ref())),
            _ => None,
        },
        None => None,
    })
}

/// The `#[query(flatten)]` arguments, in declaration order.
fn flatten_args<'e, 'a>(endpoint: &'e Endpoint<'a>) -> impl Iterator<Item = &'e Arg<'a>> {
    endpoint.args.iter().filter(|arg| {
        arg.marker.as_ref().is_some_and(|marker| {
            matches!(
                marker.kind,
                MarkerKind::Query {
                    flatten: Some(_),
                    ..
                }
            )
        })
    })
}

/// `&T`, `&&T`, `(T)` → `T`: the struct whose `QueryParams::PARAMS` a flattened argument has.
fn strip_references(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            Type::Reference(reference) => ty = &reference.elem,
            _ => return ty,
        }
    }
}

/// Whether the body's type is written `Option<…>` (also `core::option::Option<…>`), so that
/// `None` sends no body. Recognised by its spelling: an alias of `Option` is a value.
fn is_option(mut ty: &Type) -> bool {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            Type::Path(path) => {
                return path.qself.is_none()
                    && path.path.segments.last().is_some_and(|last| {
                        last.ident == "Option"
                            && matches!(last.arguments, syn::PathArguments::AngleBracketed(_))
                    })
            }
            _ => return false,
        }
    }
}

fn body_arg<'e, 'a>(endpoint: &'e Endpoint<'a>) -> Option<&'e Arg<'a>> {
    endpoint.args.iter().find(|arg| {
        arg.marker
            .as_ref()
            .is_some_and(|marker| matches!(marker.kind, MarkerKind::Body))
    })
}

/// Whether the type is a reference, so the body is passed as is rather than borrowed.
fn is_reference(mut ty: &Type) -> bool {
    loop {
        match ty {
            Type::Group(group) => ty = &group.elem,
            Type::Paren(paren) => ty = &paren.elem,
            Type::Reference(_) => return true,
            _ => return false,
        }
    }
}
