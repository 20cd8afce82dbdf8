//! What the generator writes, before it is text: models and their field types.

use std::collections::BTreeSet;

/// A field's or a variant's type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A model the generator writes (or a runtime type such as `crate::Link`).
    Named(String),
    /// `String`, `bool`, `i64`, `chrono::DateTime<chrono::Utc>`, `serde_json::Value`, ...
    Plain(&'static str),
    Vec(Box<Ty>),
    /// A JSON object whose values share one type.
    Map(Box<Ty>),
}

impl Ty {
    pub fn render(&self, boxed: bool) -> String {
        self.render_with(boxed, &|name| name.to_owned())
    }

    /// As [`Ty::render`], with each model's name as `qualify` writes it.
    pub fn render_with(&self, boxed: bool, qualify: &dyn Fn(&str) -> String) -> String {
        let inner = match self {
            Ty::Named(name) => qualify(name),
            Ty::Plain(plain) => (*plain).to_owned(),
            Ty::Vec(item) => format!("Vec<{}>", item.render_with(false, qualify)),
            Ty::Map(value) => format!(
                "std::collections::BTreeMap<String, {}>",
                value.render_with(false, qualify)
            ),
        };
        if boxed {
            format!("Box<{inner}>")
        } else {
            inner
        }
    }

    /// The model this type holds by value (not behind a `Vec` or a map), if any.
    pub fn by_value(&self) -> Option<&str> {
        match self {
            Ty::Named(name) => Some(name),
            _ => None,
        }
    }

    /// Every model this type mentions.
    pub fn names(&self, out: &mut BTreeSet<String>) {
        match self {
            Ty::Named(name) => {
                out.insert(name.clone());
            }
            Ty::Plain(_) => {}
            Ty::Vec(inner) | Ty::Map(inner) => inner.names(out),
        }
    }
}

/// Which way a model travels; the spec's `readOnly` fields are left out of what is sent and
/// its `writeOnly` fields out of what is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Request,
    Response,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust name (`r#type` for `type`).
    pub rust: String,
    /// The name on the wire.
    pub wire: String,
    pub ty: Ty,
    pub required: bool,
    /// A request field that can be sent as an explicit `null` (`Option<Option<T>>`).
    pub clearable: bool,
    /// Held in a `Box` because the model contains itself through it.
    pub boxed: bool,
    /// Facts for the field's rustdoc (format, bounds, pattern, read-only, ...).
    pub facts: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub ty: Ty,
    pub boxed: bool,
    /// The discriminator values that select this variant (empty when untagged).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum Shape {
    Struct {
        fields: Vec<Field>,
    },
    /// A string enum, open to values a newer Atlas adds: `(variant, value)` pairs.
    Enum {
        values: Vec<(String, String)>,
    },
    /// A oneOf: by the value of `tag` when it has one, else the first variant that decodes.
    Union {
        tag: Option<String>,
        variants: Vec<Variant>,
    },
}

#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    /// The file (module) the model is written to.
    pub file: String,
    /// The spec schema it comes from, for its rustdoc (`ClusterDescription20240805`, or
    /// `ClusterDescription20240805.replicationSpecs` for an inline one).
    pub origin: String,
    pub direction: Option<Direction>,
    pub shape: Shape,
}
