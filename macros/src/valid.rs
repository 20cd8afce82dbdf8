//! Checks that relate the attribute to the method it is on: the receiver, the placeholders and
//! the arguments that fill them, the body, pagination and the return type.

use syn::{GenericArgument, PathArguments, ReturnType, Type, Visibility};

use crate::ast::Endpoint;
use crate::attr::{self, EndpointAttr, HttpMethod, MarkerKind};
use crate::ctxt::Ctxt;

/// A trait method has no visibility of its own.
pub(crate) fn check_visibility(cx: &Ctxt, visibility: &Visibility) {
    if let Visibility::Public(_) | Visibility::Restricted(_) = visibility {
        cx.error_spanned_by(
            visibility,
            "remove the visibility; a trait method is as visible as its trait",
        );
    }
}

pub(crate) fn check(cx: &Ctxt, endpoint: &Endpoint) {
    check_signature(cx, endpoint);
    check_method_attrs(cx, endpoint);
    if let Some(attr) = &endpoint.attr {
        check_placeholders(cx, endpoint, attr);
        check_body(cx, endpoint, attr);
        check_pagination(cx, endpoint, attr);
        check_idempotent(cx, attr);
        check_serialize_by(cx, attr);
        check_answer(cx, endpoint, attr);
        match &attr.wait {
            Some(wait) => crate::valid_wait::check(cx, endpoint, wait, attr.paginated.is_some()),
            None => crate::valid_wait::check_no_waiter(cx, endpoint, attr.wait_refused),
        }
    }
}

fn check_signature(cx: &Ctxt, endpoint: &Endpoint) {
    let original = endpoint.original;
    let sig = &original.sig;
    if let Some(block) = &original.default {
        cx.error_spanned_by(block, "remove the body; #[atlas_endpoint] writes it");
    }
    if endpoint.receiver.is_none() {
        cx.error_at(
            sig.paren_token.span.join(),
            format!(
                "missing `&self`; an endpoint is a method of the client: `fn {}(&self, ...)`",
                sig.ident
            ),
        );
    }
    if let Some(receiver) = endpoint.receiver {
        let shared_ref = match &*receiver.ty {
            Type::Reference(reference) => reference.mutability.is_none(),
            _ => false,
        };
        if !shared_ref {
            let message = if receiver.mutability.is_some() && receiver.reference.is_some() {
                "take `&self` instead of `&mut self`; calling an endpoint does not change the client"
            } else {
                "take `&self`; an endpoint borrows the client and does not consume it"
            };
            cx.error_spanned_by(receiver, message);
        }
        for marker in receiver.attrs.iter().filter(|attr| attr::is_marker(attr)) {
            cx.error_spanned_by(
                marker,
                "argument markers belong on typed arguments, not on `self`",
            );
        }
    }
    if let Some(asyncness) = &sig.asyncness {
        cx.error_spanned_by(
            asyncness,
            "remove `async`; the method returns a `Call<T>` that the caller awaits",
        );
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(variadic, "endpoints cannot take variadic arguments");
    }
    if let ReturnType::Default = sig.output {
        cx.error_spanned_by(
            &sig.ident,
            "missing return type; an endpoint returns `Call<T>`, or `Paginated<T>` with `paginated`",
        );
    }
}

fn check_method_attrs(cx: &Ctxt, endpoint: &Endpoint) {
    let attrs = &endpoint.original.attrs;
    for again in attrs.iter().filter(|attr| attr::is_endpoint_attr(attr)) {
        cx.error_spanned_by(
            again,
            "duplicate #[atlas_endpoint]; a method declares one endpoint",
        );
    }
    let deprecated_option = endpoint
        .attr
        .as_ref()
        .and_then(|attr| attr.deprecated.as_ref());
    if let Some(option) = deprecated_option {
        for deprecated in attrs
            .iter()
            .filter(|attr| attr.path().is_ident("deprecated"))
        {
            cx.error_spanned_by(
                deprecated,
                format!(
                    "remove this #[deprecated]; `deprecated = {:?}` already marks the method deprecated",
                    option.value()
                ),
            );
        }
    }
}

fn check_placeholders(cx: &Ctxt, endpoint: &Endpoint, attr: &EndpointAttr) {
    let placeholders: Vec<&str> = attr.parsed.placeholders().collect();
    for name in &placeholders {
        let Some(arg) = endpoint.arg(name) else {
            // An argument refused for its pattern may be the one meant; it is reported.
            if endpoint.has_unnamed_args {
                continue;
            }
            cx.error_spanned_by(
                &attr.template,
                format!("placeholder `<{name}>` has no argument; add `{name}: &str` to the method"),
            );
            continue;
        };
        if let Some(marker) = &arg.marker {
            if !matches!(marker.kind, MarkerKind::Path { .. }) {
                cx.error_spanned_by(
                    marker.original,
                    format!(
                        "argument `{name}` fills the placeholder `<{name}>`, so it cannot be `#[{}]`; remove the marker",
                        marker.kind.name()
                    ),
                );
            }
        }
    }
    // A malformed placeholder may be the one meant for an argument: do not pile on.
    if !attr.parsed.errors.is_empty() {
        return;
    }
    for arg in &endpoint.args {
        if placeholders.contains(&arg.name.as_str()) {
            continue;
        }
        let name = &arg.name;
        match &arg.marker {
            None => cx.error_spanned_by(
                arg.original,
                format!("argument `{name}` is not used by the template; add `<{name}>` to the template or mark it `#[query]` or `#[body]`"),
            ),
            Some(marker) if matches!(marker.kind, MarkerKind::Path { .. }) => cx.error_spanned_by(
                marker.original,
                format!("argument `{name}` is marked `#[path]` but the template has no `<{name}>`; add it to the template"),
            ),
            Some(_) => {}
        }
    }
}

fn check_body(cx: &Ctxt, endpoint: &Endpoint, attr: &EndpointAttr) {
    let mut bodies = endpoint.args.iter().filter_map(|arg| match &arg.marker {
        Some(marker) if matches!(marker.kind, MarkerKind::Body) => Some((arg, marker)),
        _ => None,
    });
    let Some((first, marker)) = bodies.next() else {
        return;
    };
    // The spec has a body on GET (`searchOrgInvoiceLineItems`) but never on DELETE.
    if let Some(method) = attr.method.filter(|method| *method == HttpMethod::Delete) {
        cx.error_spanned_by(
            marker.original,
            format!(
                "{} requests have no body; send `{}` as `#[query]` or use POST, PUT or PATCH",
                method.as_str(),
                first.name
            ),
        );
    }
    for (_, again) in bodies {
        cx.error_spanned_by(
            again.original,
            format!(
                "a request has one body and `{}` is already the `#[body]`; combine the values into one type",
                first.name
            ),
        );
    }
}

/// `idempotent` lets a POST or PATCH be retried; other methods are retried anyway.
fn check_idempotent(cx: &Ctxt, attr: &EndpointAttr) {
    let (Some(flag), Some(method)) = (&attr.idempotent, attr.method) else {
        return;
    };
    if !matches!(method, HttpMethod::Post | HttpMethod::Patch) {
        cx.error_spanned_by(
            flag,
            format!(
                "`idempotent` applies to POST and PATCH only; {} requests are retried anyway, remove it",
                method.as_str()
            ),
        );
    }
}

/// `serialize_by` names the placeholder whose value keys the lock.
fn check_serialize_by(cx: &Ctxt, attr: &EndpointAttr) {
    let Some(name) = &attr.serialize_by else {
        return;
    };
    let placeholders: Vec<&str> = attr.parsed.placeholders().collect();
    let written = name.to_string();
    let written = written.strip_prefix("r#").unwrap_or(&written);
    if !placeholders.contains(&written) {
        let expected = match placeholders.as_slice() {
            [] => "the template has no placeholder".to_owned(),
            names => format!("expected one of {}", crate::ctxt::in_backticks(names)),
        };
        cx.error_spanned_by(
            name,
            format!("`serialize_by` names `{written}`, which fills no placeholder of the template; {expected}"),
        );
    }
}

fn check_pagination(cx: &Ctxt, endpoint: &Endpoint, attr: &EndpointAttr) {
    let Some(ty) = endpoint.return_type() else {
        return;
    };
    let returns = paginated_args(ty);
    match &attr.paginated {
        Some(flag) => match attr.method {
            Some(HttpMethod::Get) | None => match returns {
                Some(1) => {}
                Some(_) => cx.error_spanned_by(ty, "`Paginated` takes one type argument: `Paginated<T>`"),
                None => cx.error_spanned_by(
                    ty,
                    "a `paginated` endpoint returns `Paginated<T>`, which yields the items page by page",
                ),
            },
            // A write that answers one page: sent once, so no stream that would repeat it.
            Some(method @ (HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch)) => {
                if !is_call_of_page(ty) {
                    cx.error_spanned_by(
                        ty,
                        format!(
                            "a `paginated` {} answers one page after a write and is sent once (a listing would repeat the write per page); return `Call<Page<T>>`",
                            method.as_str()
                        ),
                    );
                }
            }
            Some(method) => cx.error_spanned_by(
                flag,
                format!(
                    "`paginated` applies to GET, POST, PUT and PATCH endpoints, not {}; remove it",
                    method.as_str()
                ),
            ),
        },
        None => {
            if returns.is_some() {
                cx.error_spanned_by(
                    ty,
                    "`Paginated<T>` is for endpoints that list pages; add `paginated` to #[atlas_endpoint(...)] or return `Call<T>`",
                );
            }
        }
    }
}

/// Whether the type is `Call<Page<T>>` (by the last segments of the paths).
fn is_call_of_page(ty: &Type) -> bool {
    let last_type_arg = |ty: &Type, name: &str| -> Option<Option<Type>> {
        let Type::Path(path) = ty else { return None };
        let last = path.path.segments.last()?;
        if last.ident != name {
            return None;
        }
        Some(match &last.arguments {
            PathArguments::AngleBracketed(generics) => {
                generics.args.iter().find_map(|arg| match arg {
                    GenericArgument::Type(ty) => Some(ty.clone()),
                    _ => None,
                })
            }
            _ => None,
        })
    };
    match ty {
        Type::Group(group) => is_call_of_page(&group.elem),
        Type::Paren(paren) => is_call_of_page(&paren.elem),
        _ => matches!(
            last_type_arg(ty, "Call")
                .flatten()
                .map(|inner| last_type_arg(&inner, "Page")),
            Some(Some(Some(_)))
        ),
    }
}

/// If the type's last path segment is `Paginated`, the number of its type arguments.
fn paginated_args(ty: &Type) -> Option<usize> {
    match ty {
        Type::Group(group) => paginated_args(&group.elem),
        Type::Paren(paren) => paginated_args(&paren.elem),
        Type::Path(path) => {
            let last = path.path.segments.last()?;
            if last.ident != "Paginated" {
                return None;
            }
            Some(match &last.arguments {
                PathArguments::AngleBracketed(generics) => generics
                    .args
                    .iter()
                    .filter(|arg| matches!(arg, GenericArgument::Type(_)))
                    .count(),
                _ => 0,
            })
        }
        _ => None,
    }
}

/// The answer types of issue 10 (shapes 5 and 6): `format = "..."` and `Call<Download>` go
/// together, and a listing's items are never `NoContent` or `Download`.
fn check_answer(cx: &Ctxt, endpoint: &Endpoint, attr: &EndpointAttr) {
    let Some(ty) = endpoint.return_type() else {
        return;
    };
    let Some((outer, inner)) = wrapper_and_item(ty) else {
        return;
    };
    let is_download = inner.as_deref() == Some("Download");
    match (&attr.format, outer.as_str()) {
        (Some(format), "Paginated") => cx.error_spanned_by(
            format,
            format!(
                "`format = {:?}` answers one file, not pages; remove `paginated` and return `Call<Download>`",
                format.value()
            ),
        ),
        (Some(format), "Call") if !is_download => cx.error_spanned_by(
            ty,
            format!(
                "`format = {:?}` answers bytes, not JSON; return `Call<Download>`, which streams them",
                format.value()
            ),
        ),
        (None, "Call") if is_download => cx.error_spanned_by(
            ty,
            "`Call<Download>` streams a non-JSON answer; add `format = \"gzip\"` or `format = \"csv\"` to #[atlas_endpoint(...)]",
        ),
        _ => {}
    }
    if outer == "Paginated" {
        match inner.as_deref() {
            Some("NoContent") => cx.error_spanned_by(
                ty,
                "a listing yields items, and `NoContent` is an answer without one; return `Call<NoContent>` without `paginated`",
            ),
            Some("Download") if attr.format.is_none() => cx.error_spanned_by(
                ty,
                "a listing yields JSON items, and `Download` is a streamed file; return `Call<Download>` with `format = \"gzip\"`",
            ),
            _ => {}
        }
    }
}

/// `Call<X>` or `Paginated<X>`: the wrapper's name and the last segment of `X`, if a path.
fn wrapper_and_item(ty: &Type) -> Option<(String, Option<String>)> {
    match ty {
        Type::Group(group) => wrapper_and_item(&group.elem),
        Type::Paren(paren) => wrapper_and_item(&paren.elem),
        Type::Path(path) => {
            let last = path.path.segments.last()?;
            let outer = last.ident.to_string();
            if outer != "Call" && outer != "Paginated" {
                return None;
            }
            let PathArguments::AngleBracketed(generics) = &last.arguments else {
                return Some((outer, None));
            };
            let inner = generics.args.iter().find_map(|arg| match arg {
                GenericArgument::Type(Type::Path(item)) => {
                    item.path.segments.last().map(|s| s.ident.to_string())
                }
                _ => None,
            });
            Some((outer, inner))
        }
        _ => None,
    }
}
