//! Making up what Atlas would fill in: a value for any schema of the tables (required fields
//! only, each the simplest value its type, enum, pattern and bounds allow), and the fields a
//! stored resource still lacks for the schema it is answered as.
//!
//! What the request tells (the path's ids and names, a new id, the time, the resource's own
//! URL) goes into the fields of those names, so a made-up cluster has the project and name
//! it was asked for.

use serde_json::{json, Map, Value};

use super::patterns;
use super::tables::Tables;
use super::validate::{self, Direction};

/// How deep made-up values nest at most (the spec has recursive schemas).
const MAX_DEPTH: usize = 12;

/// What a request tells about the values to make up.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// The path's parameters, decoded (`groupId`, `clusterName`, ...).
    pub params: Vec<(String, String)>,
    /// The parameter that names the object itself, when the path ends in one
    /// (`clusterName` of `.../clusters/{clusterName}`), and its value.
    pub item: Option<(String, String)>,
    /// The id a new object gets.
    pub id: String,
    /// Now, as ISO 8601 (`2026-12-01T15:30:00Z`).
    pub now: String,
    /// The object's own URL, for its `self` link.
    pub href: String,
}

impl Facts {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// What a field of this name holds, when the request says.
    fn known(&self, name: &str) -> Option<Value> {
        if let Some(value) = self.param(name) {
            return Some(json!(value));
        }
        let item = self.item.as_ref();
        // The parameter that names the object, in a field of its name but for case
        // (`indexId` in `indexID`).
        if let Some((_, value)) = item.filter(|(param, _)| param.eq_ignore_ascii_case(name)) {
            return Some(json!(value));
        }
        match name {
            // `_id` is the id of the objects that Atlas answers as MongoDB documents.
            "id" | "_id" => match item {
                Some((param, value)) if param.ends_with("Id") => Some(json!(value)),
                _ => Some(json!(self.id)),
            },
            "name" => item
                .filter(|(param, _)| param.ends_with("Name") || param == "name")
                .map(|(_, value)| json!(value)),
            "links" => Some(json!([{ "href": self.href, "rel": "self" }])),
            "created" | "createDate" | "createdAt" | "creationDate" | "createdDate" => {
                Some(json!(self.now))
            }
            _ => None,
        }
    }
}

/// Makes values for schemas, using `facts` where a field's name is one the request tells.
pub(crate) struct Maker<'a> {
    pub tables: &'a Tables,
    pub facts: &'a Facts,
    /// Answers leave `writeOnly` fields out, requests `readOnly` ones.
    pub direction: Direction,
}

impl<'a> Maker<'a> {
    /// A maker of values that travel `direction`, from `facts`.
    pub fn new(tables: &'a Tables, facts: &'a Facts, direction: Direction) -> Self {
        Maker {
            tables,
            facts,
            direction,
        }
    }

    /// A value valid for `schema`, with the required fields only.
    pub fn sample(&self, schema: &Value) -> Value {
        self.sample_named(schema, None, 0)
    }

    /// Fills in what `value` lacks to be a valid answer of `schema`: required fields, and at
    /// the top what the request tells (id, links, creation date, the path's names).
    pub fn complete(&self, value: &mut Value, schema: &Value) {
        if let Value::Object(map) = value {
            for (name, property) in self.tables.properties(schema) {
                if map.contains_key(&name) {
                    continue;
                }
                if let Some(known) = self.fitting(&name, &property) {
                    map.insert(name, known);
                }
            }
        }
        self.complete_at(value, schema, 0);
    }

    fn sample_named(&self, schema: &Value, name: Option<&str>, depth: usize) -> Value {
        if let Some(known) = name.and_then(|name| self.fitting(name, schema)) {
            return known;
        }
        let schema = self.tables.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if schema.get("allOf").is_some() {
            // The parts' own fields, not a base's dispatch to its first child.
            let mut value = Value::Object(Map::new());
            self.complete_at(&mut value, schema, depth);
            return value;
        }
        if let Some((tag_field, tag, branch)) = self.first_branch(schema) {
            let mut value = self.sample_named(branch, None, depth + 1);
            if let (Some(field), Value::Object(map)) = (tag_field, &mut value) {
                map.insert(field.to_owned(), json!(tag));
            }
            return value;
        }
        if let Some(default) = schema.get("default") {
            return default.clone();
        }
        if let Some(first) = schema
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return first.clone();
        }
        match schema_type(schema) {
            "string" => json!(self.string(schema)),
            "integer" => json!(integer(schema)),
            "number" => json!(integer(schema) as f64),
            "boolean" => json!(false),
            "array" => {
                let count = schema
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(0)
                    .min(3);
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                Value::Array(
                    (0..count)
                        .map(|_| self.sample_named(&items, None, depth + 1))
                        .collect(),
                )
            }
            _ => {
                let mut value = Value::Object(Map::new());
                self.complete_at(&mut value, schema, depth);
                value
            }
        }
    }

    /// The value a field called `name` takes from the request, if it fits its schema.
    fn fitting(&self, name: &str, schema: &Value) -> Option<Value> {
        let candidate = self.facts.known(name)?;
        let ok = validate::check(self.tables, &candidate, schema, name, self.direction).is_empty();
        ok.then_some(candidate)
    }

    fn string(&self, schema: &Value) -> String {
        match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => return self.facts.now.clone(),
            Some("date") => return self.facts.now.chars().take(10).collect(),
            Some("email") => return "user@example.com".to_owned(),
            Some("uuid") => return "00000000-0000-4000-8000-000000000000".to_owned(),
            Some("uri") => return "https://sandbox.invalid/".to_owned(),
            _ => {}
        }
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        if let Some(sample) = schema
            .get("pattern")
            .and_then(Value::as_str)
            .and_then(|pattern| patterns::sample(pattern, min))
        {
            return sample;
        }
        let text = "sandbox";
        if min > text.len() {
            "a".repeat(min)
        } else {
            match schema.get("maxLength").and_then(Value::as_u64) {
                Some(max) => text.chars().take(max as usize).collect(),
                None => text.to_owned(),
            }
        }
    }

    /// For a `oneOf`/`anyOf`: the first branch, with its discriminator field and tag.
    fn first_branch<'s>(&self, schema: &'s Value) -> Option<(Option<&'s str>, &'s str, &'s Value)> {
        let union = self.tables.union(schema)?;
        if let Some((field, mapping)) = union.tag {
            for tag in mapping.keys() {
                if let Some(branch) = union.branch(tag) {
                    return Some((Some(field), tag.as_str(), branch));
                }
            }
        }
        union.branches.first().map(|branch| (None, "", branch))
    }

    fn complete_at(&self, value: &mut Value, schema: &Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.tables.resolve(schema);
        let properties = self.tables.properties(schema);
        for part in self.tables.all_of(schema) {
            self.complete_own(value, part, &properties, depth + 1);
        }
        if let Some(branch) = self.branch_of(value, schema) {
            self.complete_at(value, branch, depth + 1);
        } else if let Some(kind) = self.tables.mapped_kind(value, schema) {
            if !std::ptr::eq(kind, schema) {
                self.complete_at(value, kind, depth + 1);
            }
        }
        self.complete_own(value, schema, &properties, depth);
    }

    /// The branch of a union that `value` is, by its tag (setting the first tag when it has
    /// none), or else the branch it fits best.
    fn branch_of<'s>(&self, value: &mut Value, schema: &'s Value) -> Option<&'s Value> {
        let union = self.tables.union(schema)?;
        if let (Some((field, mapping)), Value::Object(map)) = (union.tag, &mut *value) {
            let tag = super::tables::tag_of(map, field, mapping)?;
            return union.branch(&tag);
        }
        union.branches.iter().min_by_key(|branch| {
            validate::check(self.tables, value, branch, "", self.direction).len()
        })
    }

    /// Required fields that are missing, and the fields inside present ones.
    fn complete_own(
        &self,
        value: &mut Value,
        schema: &Value,
        all_properties: &Map<String, Value>,
        depth: usize,
    ) {
        match value {
            Value::Object(map) => {
                for name in self.tables.required(schema) {
                    let property = all_properties.get(name);
                    let left_out = match self.direction {
                        Direction::Response => "writeOnly",
                        Direction::Request | Direction::Patch => "readOnly",
                    };
                    let left_out = property
                        .map(|p| self.tables.resolve(p))
                        .and_then(|p| p.get(left_out))
                        == Some(&json!(true));
                    if left_out || map.get(name).is_some_and(|v| !v.is_null()) {
                        continue;
                    }
                    let sample = match property {
                        Some(property) => self.sample_named(property, Some(name), depth + 1),
                        None => json!("sandbox"),
                    };
                    map.insert(name.to_owned(), sample);
                }
                let own = schema.get("properties").and_then(Value::as_object);
                for (name, property) in own.into_iter().flatten() {
                    let Some(inner) = map.get_mut(name) else {
                        continue;
                    };
                    if inner.is_null() {
                        continue;
                    }
                    self.complete_at(inner, property, depth + 1);
                    // A request field of the answer's name and another shape (an API key's
                    // `roles` are names in a request, objects in an answer) is made up anew.
                    let fits = validate::check(self.tables, inner, property, name, self.direction)
                        .is_empty();
                    if !fits {
                        *inner = self.sample_named(property, Some(name), depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for item in items {
                        self.complete_at(item, item_schema, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The type a schema declares, or `object` when it has properties and no type.
fn schema_type(schema: &Value) -> &str {
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => kind,
        None if schema.get("items").is_some() => "array",
        None => "object",
    }
}

/// Zero, or the nearest integer to it that the bounds allow.
fn integer(schema: &Value) -> i64 {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let min = bound("minimum").or_else(|| bound("exclusiveMinimum").map(|m| m + 1.0));
    let mut value = 0.0_f64;
    if let Some(min) = min.filter(|&min| value < min) {
        value = min.ceil();
    }
    if let Some(max) = bound("maximum").filter(|&max| value > max) {
        value = max.floor();
    }
    value as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tables::tables;

    fn facts() -> Facts {
        Facts {
            params: vec![
                ("groupId".to_owned(), "5e2211c17a3e5a48f5497de3".to_owned()),
                ("clusterName".to_owned(), "Cluster0".to_owned()),
            ],
            item: Some(("clusterName".to_owned(), "Cluster0".to_owned())),
            id: "6a0000000000000000000001".to_owned(),
            now: "2026-12-01T15:30:00Z".to_owned(),
            href: "http://127.0.0.1/api/atlas/v2/groups/x".to_owned(),
        }
    }

    fn maker(facts: &Facts) -> Maker<'_> {
        Maker {
            tables: tables(),
            facts,
            direction: Direction::Response,
        }
    }

    #[test]
    fn every_named_schema_samples_to_a_valid_answer() {
        let tables = tables();
        let facts = facts();
        let maker = maker(&facts);
        let mut failures = Vec::new();
        for name in tables.schemas.keys() {
            let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
            let value = maker.sample(&schema);
            let found = validate::check(tables, &value, &schema, "", Direction::Response);
            if !found.is_empty() {
                failures.push(format!("{name}: {:?}", found.first()));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures: {failures:#?}",
            failures.len()
        );
    }

    #[test]
    fn the_request_names_the_resource() {
        let facts = facts();
        let maker = maker(&facts);
        let schema = json!({ "$ref": "#/components/schemas/ClusterDescription20240805" });
        let mut value = json!({"clusterType": "REPLICASET"});
        maker.complete(&mut value, &schema);
        assert_eq!(value["groupId"], "5e2211c17a3e5a48f5497de3");
        assert_eq!(value["id"], "6a0000000000000000000001");
        assert_eq!(value["name"], "Cluster0");
    }
}
