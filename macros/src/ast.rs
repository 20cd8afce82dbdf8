//! The endpoint declaration as the later stages see it: the attribute, parsed, and each
//! argument with its marker. Every node keeps a reference to what the user wrote, so any
//! stage can point an error, or generated code, at the user's tokens.

use proc_macro2::TokenStream;
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Attribute, FnArg, Ident, Pat, PatType, Receiver, TraitItemFn, Type, Visibility};

use crate::attr::{self, EndpointAttr, Marker};
use crate::ctxt::Ctxt;

/// The item under the attribute as a method declaration of a trait, with the visibility in
/// front of it: rustc refuses a visibility there only after expansion, so it is parsed too
/// and reported as one clear error. `None` when the item is no trait method: a free
/// function, an associated function or an inherent method (a body with a visibility or
/// without `self`), or no function at all.
pub(crate) fn trait_method(input: TokenStream) -> Option<(Visibility, TraitItemFn)> {
    let parser = |input: ParseStream| {
        let attrs = input.call(Attribute::parse_outer)?;
        let visibility: Visibility = input.parse()?;
        let mut method: TraitItemFn = input.parse()?;
        method.attrs.splice(0..0, attrs);
        Ok((visibility, method))
    };
    let (visibility, method) = parser.parse2(input).ok()?;
    let elsewhere = method.default.is_some()
        && (!matches!(visibility, Visibility::Inherited) || method.sig.receiver().is_none());
    (!elsewhere).then_some((visibility, method))
}

pub(crate) struct Endpoint<'a> {
    pub original: &'a TraitItemFn,
    /// `None` when the attribute itself could not be parsed; already reported.
    pub attr: Option<EndpointAttr>,
    pub receiver: Option<&'a Receiver>,
    /// The typed arguments with a plain name, in declaration order. Arguments bound by a
    /// pattern are reported and left out.
    pub args: Vec<Arg<'a>>,
    /// Whether some argument was left out of `args` for its pattern.
    pub has_unnamed_args: bool,
}

pub(crate) struct Arg<'a> {
    pub original: &'a PatType,
    pub ident: &'a Ident,
    /// The name without `r#`, as placeholders and wire names use it.
    pub name: String,
    pub ty: &'a Type,
    /// `None` for an unmarked argument, which binds a placeholder.
    pub marker: Option<Marker<'a>>,
}

impl<'a> Endpoint<'a> {
    pub fn from_syn(cx: &Ctxt, args: TokenStream, original: &'a TraitItemFn) -> Self {
        let attr = attr::endpoint_attr(cx, args);
        let mut receiver = None;
        let mut typed = Vec::new();
        let mut has_unnamed_args = false;
        for input in &original.sig.inputs {
            match input {
                FnArg::Receiver(self_arg) => receiver = Some(self_arg),
                FnArg::Typed(pat_type) => match Arg::from_syn(cx, pat_type) {
                    Some(arg) => typed.push(arg),
                    None => has_unnamed_args = true,
                },
            }
        }
        Endpoint {
            original,
            attr,
            receiver,
            args: typed,
            has_unnamed_args,
        }
    }

    pub fn arg(&self, name: &str) -> Option<&Arg<'a>> {
        self.args.iter().find(|arg| arg.name == name)
    }

    /// The written return type; `None` for `()` (a missing return type is reported once,
    /// by the signature's check).
    pub fn return_type(&self) -> Option<&'a syn::Type> {
        match &self.original.sig.output {
            syn::ReturnType::Type(_, ty) => Some(ty),
            syn::ReturnType::Default => None,
        }
    }
}

impl<'a> Arg<'a> {
    fn from_syn(cx: &Ctxt, original: &'a PatType) -> Option<Self> {
        let ident = match &*original.pat {
            Pat::Ident(pat)
                if pat.by_ref.is_none() && pat.mutability.is_none() && pat.subpat.is_none() =>
            {
                &pat.ident
            }
            Pat::Ident(pat) => {
                cx.error_spanned_by(
                    pat,
                    format!(
                        "write the argument as a plain name, `{}: ...`; `ref`, `mut` and `@` are not supported",
                        pat.ident
                    ),
                );
                return None;
            }
            Pat::Wild(_) => {
                cx.error_spanned_by(
                    &original.pat,
                    "name the argument; the name binds it to a `<placeholder>` or a query parameter",
                );
                return None;
            }
            pat => {
                cx.error_spanned_by(
                    pat,
                    "patterns are not supported here; name the argument, as in `group_id: &str`",
                );
                return None;
            }
        };
        let name = ident.unraw().to_string();
        let marker = attr::marker(cx, &name, &original.attrs);
        Some(Arg {
            original,
            ident,
            name,
            ty: &original.ty,
            marker,
        })
    }
}
