//! The spec as JSON values: read from YAML, `$ref`s followed on demand.

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use saphyr_parser::Parser;
use serde_json::{Map, Number, Value};

/// The OpenAPI document.
pub struct Spec {
    pub root: Value,
}

impl Spec {
    pub fn load(text: &str) -> Result<Spec, String> {
        let docs = Yaml::load_from_parser(&mut Parser::new_from_str(text))
            .map_err(|error| format!("the spec is not YAML: {error}"))?;
        let doc = docs.first().ok_or("the spec is empty")?;
        Ok(Spec { root: to_json(doc) })
    }

    /// The node a `$ref` names, following chains of references; other nodes as they are.
    pub fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(target) => node = self.pointer(target),
                None => return node,
            }
        }
        node
    }

    pub fn pointer(&self, reference: &str) -> &Value {
        let path = reference.trim_start_matches('#');
        self.root.pointer(path).unwrap_or(&Value::Null)
    }

    pub fn schemas(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }
}

/// The schema name a `$ref` points at (`#/components/schemas/Name` → `Name`).
pub fn ref_name(node: &Value) -> Option<&str> {
    node.get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn to_json(node: &Yaml) -> Value {
    match node {
        Yaml::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                object.insert(scalar_text(key), to_json(value));
            }
            Value::Object(object)
        }
        Yaml::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Number((*i).into()),
            Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Scalar::String(s) => Value::String(s.to_string()),
        },
        Yaml::Tagged(_, inner) => to_json(inner),
        _ => Value::Null,
    }
}

fn scalar_text(node: &Yaml) -> String {
    match node {
        Yaml::Value(Scalar::String(s)) => s.to_string(),
        Yaml::Value(Scalar::Integer(i)) => i.to_string(),
        Yaml::Value(Scalar::Boolean(b)) => b.to_string(),
        Yaml::Value(Scalar::FloatingPoint(f)) => f.to_string(),
        Yaml::Value(Scalar::Null) => "null".to_owned(),
        Yaml::Representation(text, _, _) => text.to_string(),
        _ => String::new(),
    }
}
