//! Checking a JSON value against a schema of the tables, as Atlas checks what it is sent:
//! every violation is collected and named by its field path (`replicationSpecs[0].zoneName`).
//!
//! Request bodies ignore `readOnly` fields (Atlas ignores what it fills in) and unknown
//! fields; a field sent as `null` counts as absent. Answers are checked the other way round
//! (`writeOnly` fields are never required), which the engine's own tests use.

use serde_json::{Map, Value};

use super::patterns;
use super::tables::Tables;

/// Which way a value travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Request,
    /// A `PATCH` body: a part of the object, so nothing is required.
    Patch,
    Response,
}

/// One thing wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    pub field: String,
    pub description: String,
}

/// How deep a value may nest before the check stops looking (recursive schemas).
const MAX_DEPTH: usize = 32;

/// Every violation of `value` against `schema`; `field` names `value` itself.
pub(crate) fn check(
    tables: &Tables,
    value: &Value,
    schema: &Value,
    field: &str,
    direction: Direction,
) -> Vec<Violation> {
    let mut out = Vec::new();
    Checker { tables, direction }.value(value, schema, field, 0, &mut out);
    // A base's fields are checked for the base and again for the child that includes it.
    let mut seen = std::collections::HashSet::new();
    out.retain(|violation| seen.insert((violation.field.clone(), violation.description.clone())));
    out
}

struct Checker<'a> {
    tables: &'a Tables,
    direction: Direction,
}

fn violation(out: &mut Vec<Violation>, field: &str, description: String) {
    out.push(Violation {
        field: field.to_owned(),
        description,
    });
}

/// The JSON type of a value, as the spec names types.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(field: &str, name: &str) -> String {
    if field.is_empty() {
        name.to_owned()
    } else {
        format!("{field}.{name}")
    }
}

impl Checker<'_> {
    fn value(
        &self,
        value: &Value,
        schema: &Value,
        field: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.tables.resolve(schema);
        if value.is_null() {
            return;
        }
        let all = self.tables.properties(schema);
        // A child lists its discriminated base among its parts: the base's own fields are
        // checked, not its dispatch, or the check would come back to the child.
        self.value_without_dispatch(value, schema, &all, field, depth, out);
        if let Some(branch) = self.dispatch(value, schema, field, out) {
            self.value(value, branch, field, depth + 1, out);
        }
    }

    /// The branch of a `oneOf`/`anyOf` the value belongs to: by its discriminator's tag, or
    /// else the branch it fits best. A value that fits no branch is reported here.
    fn dispatch<'s>(
        &self,
        value: &Value,
        schema: &'s Value,
        field: &str,
        out: &mut Vec<Violation>,
    ) -> Option<&'s Value> {
        let union = self.tables.union(schema)?;
        if let Some((property, mapping)) = union.tag {
            if let Some(tag) = value.get(property).and_then(Value::as_str) {
                if mapping.contains_key(tag) {
                    return union.branch(tag);
                }
                let known: Vec<&str> = mapping.keys().map(String::as_str).collect();
                violation(
                    out,
                    &join(field, property),
                    format!("`{tag}` is not one of {}", known.join(", ")),
                );
                return None;
            }
        }
        let branches = union.branches;
        let mut best: Option<(usize, &Value)> = None;
        for branch in branches {
            let mut errors = Vec::new();
            self.value(value, branch, field, MAX_DEPTH / 2, &mut errors);
            if errors.is_empty() {
                return None;
            }
            if best.is_none_or(|(count, _)| errors.len() < count) {
                best = Some((errors.len(), branch));
            }
        }
        best.map(|(_, branch)| branch)
    }

    /// The schema's `allOf` parts, then its own keywords (type, bounds, properties...); not
    /// its `oneOf`/`anyOf` dispatch.
    fn value_without_dispatch(
        &self,
        value: &Value,
        schema: &Value,
        all: &Map<String, Value>,
        field: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        for part in self.tables.all_of(schema) {
            self.value_without_dispatch(value, part, all, field, depth + 1, out);
        }
        let declared = schema.get("type").and_then(Value::as_str);
        let actual = type_name(value);
        // Some unions of enums declare `type: object` beside their `oneOf` (a spec defect):
        // the branches decide.
        let union = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .is_some();
        if let Some(declared) = declared.filter(|_| !union) {
            let fits = declared == actual || (declared == "number" && actual == "integer");
            if !fits {
                let shown = if field.is_empty() { "the body" } else { field };
                violation(
                    out,
                    field,
                    format!("{shown} must be of type {declared}, not {actual}"),
                );
                return;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                let names: Vec<String> = allowed
                    .iter()
                    .take(12)
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect();
                let more = if allowed.len() > 12 { ", ..." } else { "" };
                violation(
                    out,
                    field,
                    format!("{value} is not one of {}{more}", names.join(", ")),
                );
            }
        }
        match value {
            Value::String(text) => self.string(text, schema, field, out),
            Value::Number(number) => self.number(number, schema, field, out),
            Value::Array(items) => self.array(items, schema, field, depth, out),
            Value::Object(map) => self.object(map, schema, all, field, depth, out),
            _ => {}
        }
    }

    fn string(&self, text: &str, schema: &Value, field: &str, out: &mut Vec<Violation>) {
        let length = text.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if length < min {
                violation(
                    out,
                    field,
                    format!("must be at least {min} characters long"),
                );
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                violation(out, field, format!("must be at most {max} characters long"));
            }
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            if let Some(regex) = patterns::usable(pattern) {
                if !regex.is_match(text) {
                    violation(
                        out,
                        field,
                        format!("`{}` does not match {pattern}", shorten(text)),
                    );
                }
            }
        }
        if schema.get("format").and_then(Value::as_str) == Some("date-time") && !is_date_time(text)
        {
            violation(
                out,
                field,
                format!("`{}` is not an ISO 8601 date and time", shorten(text)),
            );
        }
    }

    fn number(
        &self,
        number: &serde_json::Number,
        schema: &Value,
        field: &str,
        out: &mut Vec<Violation>,
    ) {
        let Some(value) = number.as_f64() else {
            return;
        };
        let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
        if let Some(min) = bound("minimum") {
            if value < min {
                violation(
                    out,
                    field,
                    format!("{number} is less than the minimum {min}"),
                );
            }
        }
        if let Some(max) = bound("maximum") {
            if value > max {
                violation(
                    out,
                    field,
                    format!("{number} is more than the maximum {max}"),
                );
            }
        }
        if let Some(min) = bound("exclusiveMinimum") {
            if value <= min {
                violation(out, field, format!("{number} must be more than {min}"));
            }
        }
        if schema.get("format").and_then(Value::as_str) == Some("int32")
            && !(f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&value)
        {
            violation(
                out,
                field,
                format!("{number} does not fit a 32-bit integer"),
            );
        }
    }

    fn array(
        &self,
        items: &[Value],
        schema: &Value,
        field: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        let count = items.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if count < min {
                violation(out, field, format!("must hold at least {min} items"));
            }
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            if count > max {
                violation(out, field, format!("must hold at most {max} items"));
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (index, item) in items.iter().enumerate() {
                self.value(
                    item,
                    item_schema,
                    &format!("{field}[{index}]"),
                    depth + 1,
                    out,
                );
            }
        }
    }

    fn object(
        &self,
        map: &Map<String, Value>,
        schema: &Value,
        all: &Map<String, Value>,
        field: &str,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in self.tables.required(schema) {
            let property = all.get(name).map(|p| self.tables.resolve(p));
            let skipped = match self.direction {
                Direction::Request => property.is_some_and(|p| flag(p, "readOnly")),
                Direction::Patch => true,
                Direction::Response => property.is_some_and(|p| flag(p, "writeOnly")),
            };
            if !skipped && map.get(name).is_none_or(Value::is_null) {
                violation(
                    out,
                    &join(field, name),
                    format!("{} is required", join(field, name)),
                );
            }
        }
        for (name, item) in map {
            let inner = join(field, name);
            match properties.and_then(|p| p.get(name)) {
                Some(property) => {
                    let resolved = self.tables.resolve(property);
                    if self.direction != Direction::Response && flag(resolved, "readOnly") {
                        continue;
                    }
                    self.value(item, property, &inner, depth + 1, out);
                }
                None => {
                    if let Some(extra) =
                        schema.get("additionalProperties").filter(|s| s.is_object())
                    {
                        self.value(item, extra, &inner, depth + 1, out);
                    }
                }
            }
        }
    }
}

fn flag(schema: &Value, key: &str) -> bool {
    schema.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// At most 64 characters of a value, for messages.
pub(crate) fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(64).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    short
}

/// `2026-12-01T15:30:00Z`, with optional fractions and an offset instead of `Z`.
pub(crate) fn is_date_time(text: &str) -> bool {
    let Some(regex) = patterns::usable(
        r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$",
    ) else {
        return false;
    };
    regex.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tables::tables;
    use serde_json::json;

    fn schema(name: &str) -> Value {
        json!({ "$ref": format!("#/components/schemas/{name}") })
    }

    #[test]
    fn a_request_may_leave_out_read_only_fields_but_not_required_ones() {
        let tables = tables();
        let group = schema("Group");
        let ok = check(
            tables,
            &json!({"name": "p1", "orgId": "a".repeat(24)}),
            &group,
            "",
            Direction::Request,
        );
        assert_eq!(ok, vec![]);
        let missing = check(
            tables,
            &json!({"orgId": "a".repeat(24)}),
            &group,
            "",
            Direction::Request,
        );
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(missing[0].field, "name");
    }

    #[test]
    fn nested_fields_are_named_by_their_path() {
        let tables = tables();
        let cluster = schema("ClusterDescription20240805");
        let body = json!({
            "name": "c1",
            "clusterType": "REPLICASET",
            "replicationSpecs": [{"regionConfigs": [{
                "providerName": "AWS", "regionName": "US_EAST_1", "priority": 99,
                "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}
            }]}]
        });
        let found = check(tables, &body, &cluster, "", Direction::Request);
        assert!(
            found
                .iter()
                .any(|v| v.field == "replicationSpecs[0].regionConfigs[0].priority"),
            "{found:?}"
        );
    }

    #[test]
    fn wrong_types_enums_and_bounds_are_reported() {
        let tables = tables();
        let s = json!({"type": "object", "properties": {
            "n": {"type": "integer", "minimum": 1, "maximum": 5},
            "e": {"type": "string", "enum": ["A", "B"]},
            "s": {"type": "string"}
        }});
        let found = check(
            tables,
            &json!({"n": 9, "e": "C", "s": 1}),
            &s,
            "",
            Direction::Request,
        );
        let mut fields: Vec<&str> = found.iter().map(|v| v.field.as_str()).collect();
        fields.sort();
        assert_eq!(fields, ["e", "n", "s"]);
    }
}
