//! Writes `tests/full/tests/generated/models.rs`: the table of every model for the
//! conformance test (tests/full/tests/conformance.rs), each with its Rust type, the spec
//! schema it comes from (a component's name, or the JSON pointer of an inline schema) and the
//! ways it travels (reached from a request body, an answer, or both).
//!
//! No text of the spec goes into the table, only pointers into it; the test reads the schemas
//! from the spec itself.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::ir::{Direction, Model, Shape};
use crate::operations::{Answer, Operation};
use crate::render::GENERATED;
use crate::spec::Spec;

pub fn file(
    spec: &Spec,
    ops: &[Operation],
    models: &BTreeMap<String, Model>,
    inline: &HashMap<String, Value>,
) -> String {
    let request = reached(ops, models, Direction::Request);
    let response = reached(ops, models, Direction::Response);
    let pointers = pointers_of(spec, models, inline);

    let mut out = String::from(GENERATED);
    out.push_str(
        "\n//! Every model of `atlas_endpoints::models`: its Rust type, the spec schema it comes \
         from (a\n//! JSON pointer into the spec) and how it travels: `Request` (reached from a \
         request body),\n//! `Response` (from an answer), `Both`, or `Unreached` (no operation \
         reaches it).\n\n",
    );
    out.push_str("use super::{Direction, Model};\nuse atlas_endpoints::models as m;\n\n");
    out.push_str(&format!(
        "pub static MODELS: [Model; {}] = [\n",
        models.len()
    ));
    for (name, model) in models {
        let travels = match (request.contains(name), response.contains(name)) {
            (true, true) => "Both",
            (true, false) => "Request",
            (false, true) => "Response",
            (false, false) => "Unreached",
        };
        let view = match model.direction {
            Some(Direction::Request) => "Some(Direction::Request)",
            Some(Direction::Response) => "Some(Direction::Response)",
            None => "None",
        };
        let pointer = pointers.get(name).map(String::as_str).unwrap_or("");
        out.push_str(&format!(
            "    Model::new::<m::{name}>({name:?}, {pointer:?}, Direction::{travels}, {view}),\n"
        ));
    }
    out.push_str("];\n");
    out
}

/// The models reached from the bodies (`Request`) or the answers (`Response`).
fn reached(
    ops: &[Operation],
    models: &BTreeMap<String, Model>,
    direction: Direction,
) -> BTreeSet<String> {
    let mut stack = BTreeSet::new();
    for op in ops {
        match direction {
            Direction::Request => {
                if let Some(body) = &op.body {
                    body.ty.names(&mut stack);
                }
            }
            Direction::Response => {
                if let Answer::Json(ty) | Answer::Page(ty) = &op.answer {
                    ty.names(&mut stack);
                }
            }
        }
    }
    let mut stack: Vec<String> = stack.into_iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        let Some(model) = models.get(&name) else {
            continue;
        };
        if !seen.insert(name) {
            continue;
        }
        let mut next = BTreeSet::new();
        match &model.shape {
            Shape::Struct { fields } => fields.iter().for_each(|f| f.ty.names(&mut next)),
            Shape::Union { variants, .. } => variants.iter().for_each(|v| v.ty.names(&mut next)),
            Shape::Enum { .. } => {}
        }
        stack.extend(next);
    }
    seen
}

/// The JSON pointer of each model's schema: `#/components/schemas/Name` for a component, and
/// for an inline model the first place (in the spec's order) holding a schema equal to it.
fn pointers_of(
    spec: &Spec,
    models: &BTreeMap<String, Model>,
    inline: &HashMap<String, Value>,
) -> BTreeMap<String, String> {
    let mut pointers = BTreeMap::new();
    let mut wanted: HashMap<String, Vec<&str>> = HashMap::new();
    for (name, model) in models {
        match inline.get(name) {
            Some(node) => wanted.entry(node.to_string()).or_default().push(name),
            None => {
                pointers.insert(
                    name.clone(),
                    format!("#/components/schemas/{}", escape(&model.origin)),
                );
            }
        }
    }
    let mut path = String::from("#");
    find(&spec.root, &mut path, &mut wanted, &mut pointers);
    pointers
}

/// Walks the spec, serializing each object once; returns its text for the parent.
fn find(
    node: &Value,
    path: &mut String,
    wanted: &mut HashMap<String, Vec<&str>>,
    pointers: &mut BTreeMap<String, String>,
) {
    if wanted.is_empty() {
        return;
    }
    match node {
        Value::Object(object) => {
            if let Some(names) = wanted.remove(&node.to_string()) {
                for name in names {
                    pointers.insert(name.to_owned(), path.clone());
                }
            }
            for (key, child) in object {
                if child.is_object() || child.is_array() {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&escape(key));
                    find(child, path, wanted, pointers);
                    path.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                find(child, path, wanted, pointers);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// A key as one JSON-pointer token (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
