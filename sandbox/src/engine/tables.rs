//! The generated tables (`sandbox/tables/*.json`), read once per process.
//!
//! They hold the spec's facts only: every operation with its parameters, versions, bodies
//! and answers, and every named schema. `cargo run -p atlas-endpoints-codegen` writes them.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::template::Template;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Place {
    Path,
    Query,
    Header,
}

/// One parameter of an operation.
#[derive(Debug, Deserialize)]
pub(crate) struct Param {
    pub name: String,
    #[serde(rename = "in")]
    pub place: Place,
    pub required: bool,
    pub schema: Value,
}

/// The request body of one version.
#[derive(Debug, Deserialize)]
pub(crate) struct BodySpec {
    pub required: bool,
    pub schema: Value,
}

/// One version of an operation.
#[derive(Debug, Deserialize)]
pub(crate) struct Version {
    /// `2023-01-01`, or `preview`.
    pub version: String,
    pub body: Option<BodySpec>,
    /// The success status.
    pub status: u16,
    /// `json`, `gzip`, `csv`, `xml`, or `none` (no body).
    pub format: String,
    /// The success answer's schema.
    pub answer: Option<Value>,
    /// The version's sunset date (`2026-01-22`).
    pub sunset: Option<String>,
}

impl Version {
    /// The media type this version is served as.
    pub fn media_type(&self) -> String {
        let format = if self.format == "none" {
            "json"
        } else {
            &self.format
        };
        format!("application/vnd.atlas.{}+{format}", self.version)
    }
}

/// One operation of the spec.
#[derive(Debug, Deserialize)]
pub(crate) struct Operation {
    pub id: String,
    pub method: String,
    pub path: String,
    pub auth: bool,
    pub paging: bool,
    pub params: Vec<Param>,
    pub versions: Vec<Version>,
    #[serde(skip)]
    pub template: Template,
}

#[derive(Deserialize)]
struct OperationsFile {
    operations: Vec<Operation>,
}

#[derive(Deserialize)]
struct SchemasFile {
    schemas: Map<String, Value>,
}

/// Every operation and schema.
pub(crate) struct Tables {
    pub operations: Vec<Operation>,
    pub schemas: Map<String, Value>,
}

impl Tables {
    /// The schema a node stands for, following `$ref`s (at most 16, so a loop ends).
    pub fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(target) = node.get("$ref").and_then(Value::as_str) else {
                return node;
            };
            let name = target.rsplit('/').next().unwrap_or(target);
            match self.schemas.get(name) {
                Some(schema) => node = schema,
                None => return &Value::Null,
            }
        }
        node
    }
}

/// The tag of `map` in the discriminator's `field`, set to the mapping's first when the
/// object has none.
pub(crate) fn tag_of(
    map: &mut Map<String, Value>,
    field: &str,
    mapping: &Map<String, Value>,
) -> Option<String> {
    if let Some(tag) = map.get(field).and_then(Value::as_str) {
        return Some(tag.to_owned());
    }
    let first = mapping.keys().next()?.clone();
    map.insert(field.to_owned(), Value::String(first.clone()));
    Some(first)
}

/// A `oneOf` (or `anyOf`) of a schema: its branches, and its discriminator when it has
/// one with a mapping.
pub(crate) struct Union<'a> {
    pub branches: &'a [Value],
    /// The tag field and its mapping (tag → `$ref` of the branch).
    pub tag: Option<(&'a str, &'a Map<String, Value>)>,
}

impl<'a> Union<'a> {
    /// The branch a tag names.
    pub fn branch(&self, tag: &str) -> Option<&'a Value> {
        let (_, mapping) = self.tag?;
        let target = mapping.get(tag).and_then(Value::as_str);
        self.branches
            .iter()
            .find(|branch| branch.get("$ref").and_then(Value::as_str) == target)
    }
}

impl Tables {
    /// The union a schema is, if it is one.
    pub fn union<'a>(&self, schema: &'a Value) -> Option<Union<'a>> {
        let branches = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)?;
        let discriminator = schema.get("discriminator");
        let field = discriminator
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str);
        let mapping = discriminator
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object);
        Some(Union {
            branches,
            tag: field.zip(mapping),
        })
    }

    /// The schema a discriminator with no `oneOf` picks for `value` (a base schema whose
    /// mapping names its kinds, as `EndpointService` does): by the value's tag, which is
    /// set to the first kind when the value has none.
    pub fn mapped_kind<'a>(&'a self, value: &mut Value, schema: &'a Value) -> Option<&'a Value> {
        if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
            return None;
        }
        let discriminator = schema.get("discriminator")?;
        let field = discriminator.get("propertyName")?.as_str()?;
        let mapping = discriminator.get("mapping")?.as_object()?;
        let tag = tag_of(value.as_object_mut()?, field, mapping)?;
        let target = mapping.get(&tag)?.as_str()?;
        let name = target.rsplit('/').next().unwrap_or(target);
        self.schemas.get(name)
    }

    /// The names a schema's own `required` lists.
    pub fn required<'a>(&self, schema: &'a Value) -> impl Iterator<Item = &'a str> + 'a {
        schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }

    /// The parts of a schema's `allOf`, resolved.
    pub fn all_of<'a>(&'a self, schema: &'a Value) -> impl Iterator<Item = &'a Value> + 'a {
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|part| self.resolve(part))
    }

    /// The properties of a schema and of its `allOf` parts (a `required` in one part may
    /// name a property of another).
    pub fn properties(&self, schema: &Value) -> Map<String, Value> {
        let mut out = Map::new();
        self.collect_properties(self.resolve(schema), &mut out, 0);
        out
    }

    fn collect_properties(&self, schema: &Value, out: &mut Map<String, Value>, depth: usize) {
        if depth > 16 {
            return;
        }
        for part in self.all_of(schema) {
            self.collect_properties(part, out, depth + 1);
        }
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.insert(name.clone(), property.clone());
        }
    }
}

/// The tables, parsed on first use.
pub(crate) fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        // The files are generated and checked in CI; if one could not be read the sandbox
        // serves no generated operation rather than failing to start.
        let mut operations =
            serde_json::from_str::<OperationsFile>(include_str!("../../tables/operations.json"))
                .map(|file| file.operations)
                .unwrap_or_default();
        for op in &mut operations {
            op.template = Template::parse(&op.path);
        }
        let schemas =
            serde_json::from_str::<SchemasFile>(include_str!("../../tables/schemas.json"))
                .map(|file| file.schemas)
                .unwrap_or_default();
        Tables {
            operations,
            schemas,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_hold_every_operation_of_the_spec() {
        let tables = tables();
        assert_eq!(tables.operations.len(), 540);
        assert!(tables.schemas.len() > 1000);
        let op = tables
            .operations
            .iter()
            .find(|op| op.id == "createGroupCluster")
            .expect("createGroupCluster");
        assert_eq!(op.method, "POST");
        assert!(op.versions.iter().any(|v| v.body.is_some()));
    }
}
