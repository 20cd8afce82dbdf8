//! The models: every schema the operations reach, as `Model`s, named by one rule.
//!
//! A schema with `readOnly` or `writeOnly` fields (or holding one that has) gets a view per
//! direction: what is sent leaves out the read-only fields, what is read leaves out the
//! write-only ones. Used both ways, the response view keeps the schema's name and the request
//! view adds `Request`; used one way only, the one view keeps the name.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use crate::ir::{Direction, Field, Model, Shape, Ty, Variant};
use crate::naming;
use crate::spec::{ref_name, Spec};

/// Runtime types the spec also defines; the runtime's are reused.
const RUNTIME_TYPES: &[(&str, &str)] = &[("Link", "crate::Link"), ("ApiError", "crate::ApiError")];

const VALUE: &str = "serde_json::Value";

pub struct Registry<'s> {
    spec: &'s Spec,
    pub models: BTreeMap<String, Model>,
    views: HashMap<(String, Option<Direction>), Ty>,
    taken: HashSet<String>,
    uses: HashMap<String, BTreeSet<Direction>>,
    differs: HashMap<String, bool>,
    enums: HashMap<Vec<String>, Vec<String>>,
    inline: HashMap<(String, Option<Direction>), (String, Ty)>,
    names: HashMap<String, String>,
    /// The schema node of each inline model (those not named after a component), for the
    /// conformance table (emit_conformance.rs finds where in the spec it is).
    pub inline_nodes: HashMap<String, Value>,
}

impl<'s> Registry<'s> {
    pub fn new(spec: &'s Spec) -> Self {
        let names = naming::models(spec.schemas().keys());
        let taken = names.values().cloned().collect();
        Registry {
            names,
            spec,
            models: BTreeMap::new(),
            views: HashMap::new(),
            taken,
            uses: HashMap::new(),
            enums: HashMap::new(),
            inline: HashMap::new(),
            inline_nodes: HashMap::new(),
            differs: differs_by_schema(spec),
        }
    }

    /// First pass: which components are used in which direction (so a schema read only
    /// keeps its name for its one view).
    pub fn note_use(&mut self, node: &Value, direction: Direction) {
        let mut seen = HashSet::new();
        self.note_use_inner(node, direction, &mut seen);
    }

    fn note_use_inner(&mut self, node: &Value, direction: Direction, seen: &mut HashSet<String>) {
        if let Some(name) = ref_name(node) {
            if !seen.insert(name.to_owned()) {
                return;
            }
            self.uses
                .entry(name.to_owned())
                .or_default()
                .insert(direction);
            let target = self.spec.pointer(node["$ref"].as_str().unwrap_or_default());
            self.note_use_inner(target, direction, seen);
            return;
        }
        match node {
            Value::Object(object) => {
                for (key, child) in object {
                    if key == "discriminator" {
                        if let Some(mapping) = child.get("mapping").and_then(Value::as_object) {
                            for target in mapping.values() {
                                let reference = serde_json::json!({ "$ref": target });
                                self.note_use_inner(&reference, direction, seen);
                            }
                        }
                    } else if key != "example" && key != "examples" && key != "default" {
                        self.note_use_inner(child, direction, seen);
                    }
                }
            }
            Value::Array(items) => {
                for child in items {
                    self.note_use_inner(child, direction, seen);
                }
            }
            _ => {}
        }
    }

    /// The type of a schema node; `hint` names an inline model, `file` is where it goes.
    pub fn type_of(&mut self, node: &Value, direction: Direction, hint: &str, file: &str) -> Ty {
        if let Some(name) = ref_name(node) {
            return self.component(name, direction);
        }
        if let Some(members) = node.get("allOf").and_then(Value::as_array) {
            let plain_ref = members.len() == 1 && node.get("properties").is_none();
            if plain_ref {
                return self.type_of(&members[0], direction, hint, file);
            }
        }
        if is_model(node) {
            if let Some(values) = enum_values(node) {
                return self.enum_type(node, values, hint, file);
            }
            // One model per place in the spec and view: `hint` names the place (the owner
            // schema and the field), the JSON text tells two places of one name apart.
            let view = Some(direction).filter(|_| self.node_differs(node));
            let key = (hint.to_owned(), view);
            let text = node.to_string();
            if let Some((seen, ty)) = self.inline.get(&key) {
                if *seen == text {
                    return ty.clone();
                }
            }
            let wanted = match view {
                Some(Direction::Request) => format!("{hint}Request"),
                _ => hint.to_owned(),
            };
            let name = self.fresh(&wanted);
            self.inline.insert(key, (text, Ty::Named(name.clone())));
            self.inline_nodes.insert(name.clone(), node.clone());
            self.define_view(&name, node, direction, view, file, hint, hint);
            return Ty::Named(name);
        }
        self.plain(node, direction, hint, file)
    }

    fn plain(&mut self, node: &Value, direction: Direction, hint: &str, file: &str) -> Ty {
        let format = node.get("format").and_then(Value::as_str).unwrap_or("");
        match node.get("type").and_then(Value::as_str).unwrap_or("") {
            "string" => Ty::Plain(match format {
                "date-time" => "chrono::DateTime<chrono::Utc>",
                "date" => "chrono::NaiveDate",
                _ => "String",
            }),
            "integer" => Ty::Plain(if format == "int32" { "i32" } else { "i64" }),
            "number" => Ty::Plain("f64"),
            "boolean" => Ty::Plain("bool"),
            "array" => {
                let items = node.get("items").cloned().unwrap_or(Value::Null);
                let item = self.type_of(&items, direction, &format!("{hint}Item"), file);
                Ty::Vec(Box::new(item))
            }
            "object" | "" => match node.get("additionalProperties") {
                Some(Value::Object(values)) if !values.is_empty() => {
                    let values = Value::Object(values.clone());
                    let value = self.type_of(&values, direction, &format!("{hint}Value"), file);
                    Ty::Map(Box::new(value))
                }
                _ => Ty::Plain(VALUE),
            },
            _ => Ty::Plain(VALUE),
        }
    }

    /// The type of a component schema in one direction.
    pub fn component(&mut self, schema: &str, direction: Direction) -> Ty {
        if let Some((_, runtime)) = RUNTIME_TYPES.iter().find(|(name, _)| *name == schema) {
            return Ty::Named((*runtime).to_owned());
        }
        let view = self.differs(schema).then_some(direction);
        let key = (schema.to_owned(), view);
        if let Some(ty) = self.views.get(&key) {
            return ty.clone();
        }
        let node = self
            .spec
            .schemas()
            .get(schema)
            .cloned()
            .unwrap_or(Value::Null);
        if !is_model(&node) && !is_base(&node) {
            let hint = self.model_name(schema);
            let ty = self.plain(&node, direction, &hint, "");
            self.views.insert(key, ty.clone());
            return ty;
        }
        let base = self.model_name(schema);
        let both = self.uses.get(schema).is_some_and(|uses| uses.len() == 2);
        let name = match view {
            Some(Direction::Request) if both => {
                let name = self.fresh(&format!("{base}Request"));
                self.taken.insert(name.clone());
                name
            }
            _ => base.clone(),
        };
        self.views.insert(key, Ty::Named(name.clone()));
        let file = naming::file(&base);
        if let Some(values) = enum_values(&node) {
            let shape = Shape::Enum {
                values: enum_variants(&values),
            };
            self.insert(&name, &file, schema, None, shape);
        } else if is_base(&node) {
            let shape = self.base_union(&node, direction);
            self.insert(&name, &file, schema, view, shape);
        } else {
            self.define_view(&name, &node, direction, view, &file, schema, &base);
        }
        Ty::Named(name)
    }

    // Where the model goes and what it is named after travel apart (a component's request
    // view is named `...Request` but files and inline names follow the schema).
    #[allow(clippy::too_many_arguments)]
    fn define_view(
        &mut self,
        name: &str,
        node: &Value,
        direction: Direction,
        view: Option<Direction>,
        file: &str,
        origin: &str,
        place: &str,
    ) {
        // Claim the name before the fields, which may refer back to it.
        let placeholder = Shape::Struct { fields: Vec::new() };
        self.insert(name, file, origin, view, placeholder);
        let shape = if node.get("oneOf").is_some() {
            self.one_of(node, direction, place, file)
        } else {
            Shape::Struct {
                fields: self.fields(node, direction, place, file),
            }
        };
        self.insert(name, file, origin, view, shape);
    }

    fn insert(
        &mut self,
        name: &str,
        file: &str,
        origin: &str,
        view: Option<Direction>,
        shape: Shape,
    ) {
        self.taken.insert(name.to_owned());
        self.models.insert(
            name.to_owned(),
            Model {
                name: name.to_owned(),
                file: file.to_owned(),
                origin: origin.to_owned(),
                direction: view,
                shape,
            },
        );
    }

    fn fields(
        &mut self,
        node: &Value,
        direction: Direction,
        owner: &str,
        file: &str,
    ) -> Vec<Field> {
        let (properties, required) = self.merged(node);
        let mut fields = Vec::new();
        let mut rust_names = HashSet::new();
        for (wire, property) in properties {
            let resolved = self.spec.resolve(&property).clone();
            let flag = |key: &str| {
                property.get(key).and_then(Value::as_bool).unwrap_or(false)
                    || resolved.get(key).and_then(Value::as_bool).unwrap_or(false)
            };
            let (read_only, write_only) = (flag("readOnly"), flag("writeOnly"));
            if (direction == Direction::Request && read_only)
                || (direction == Direction::Response && write_only)
            {
                continue;
            }
            let mut rust = naming::snake(&wire);
            while !rust_names.insert(rust.clone()) {
                rust.push('_');
            }
            let hint = format!("{owner}{}", naming::pascal(&wire));
            let ty = self.type_of(&property, direction, &hint, file);
            let is_required = required.contains(&wire);
            let clearable = direction == Direction::Request && flag("nullable") && !is_required;
            let facts = field_facts(&property, &resolved, read_only, write_only);
            fields.push(Field {
                rust,
                wire,
                ty,
                required: is_required,
                clearable,
                boxed: false,
                facts,
            });
        }
        fields
    }

    /// The properties of a schema with those of its `allOf` parents, parents first.
    fn merged(&self, node: &Value) -> (Vec<(String, Value)>, BTreeSet<String>) {
        let mut properties: Vec<(String, Value)> = Vec::new();
        let mut required = BTreeSet::new();
        self.merge_into(node, &mut properties, &mut required, 0);
        (properties, required)
    }

    fn merge_into(
        &self,
        node: &Value,
        properties: &mut Vec<(String, Value)>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > 16 {
            return;
        }
        let node = self.spec.resolve(node);
        for member in node
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.merge_into(member, properties, required, depth + 1);
        }
        if let Some(own) = node.get("properties").and_then(Value::as_object) {
            for (name, schema) in own {
                match properties.iter_mut().find(|(existing, _)| existing == name) {
                    Some(slot) => slot.1 = schema.clone(),
                    None => properties.push((name.clone(), schema.clone())),
                }
            }
        }
        for name in node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = name.as_str() {
                required.insert(name.to_owned());
            }
        }
    }

    fn one_of(&mut self, node: &Value, direction: Direction, name: &str, file: &str) -> Shape {
        let members: Vec<Value> = node["oneOf"].as_array().cloned().unwrap_or_default();
        let resolved: Vec<Value> = members
            .iter()
            .map(|m| self.spec.resolve(m).clone())
            .collect();
        if let Some(values) = enum_values(node) {
            return Shape::Enum {
                values: enum_variants(&values),
            };
        }
        let mapping = node
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object);
        let tag = node
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| self.inferred_tag(&resolved));
        let mut variants = Vec::new();
        let mut names = HashSet::new();
        for (i, member) in members.iter().enumerate() {
            let target = ref_name(member).map(str::to_owned);
            let mut variant = match &target {
                Some(target) => self.model_name(target),
                None => resolved[i]
                    .get("title")
                    .and_then(Value::as_str)
                    .map(naming::pascal)
                    .unwrap_or_else(|| format!("Variant{}", i + 1)),
            };
            while !names.insert(variant.clone()) {
                variant.push('_');
            }
            let ty = self.type_of(member, direction, &format!("{name}{variant}"), file);
            let mut tags: Vec<String> = match (&target, mapping) {
                (Some(target), Some(mapping)) => mapping
                    .iter()
                    .filter(|(_, to)| {
                        to.as_str().and_then(|to| to.rsplit('/').next()) == Some(target)
                    })
                    .map(|(value, _)| value.clone())
                    .collect(),
                _ => Vec::new(),
            };
            if tags.is_empty() {
                if let Some(tag) = &tag {
                    tags = self.tag_values(&resolved[i], tag);
                }
            }
            variants.push(Variant {
                name: variant,
                ty,
                boxed: false,
                tags,
            });
        }
        let tagged = tag.filter(|_| variants.iter().all(|v| !v.tags.is_empty()));
        if tagged.is_none() {
            for variant in &mut variants {
                variant.tags.clear();
            }
        }
        Shape::Union {
            tag: tagged,
            variants,
        }
    }

    /// A base schema with a discriminator and no `oneOf` (its children `allOf` it): a union
    /// of the children its mapping names.
    fn base_union(&mut self, node: &Value, direction: Direction) -> Shape {
        let tag = node
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
            .unwrap_or("");
        let mapping = node
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .cloned();
        let mut by_target: Vec<(String, Vec<String>)> = Vec::new();
        for (value, target) in mapping.into_iter().flatten() {
            let target = target
                .as_str()
                .and_then(|t| t.rsplit('/').next())
                .unwrap_or("")
                .to_owned();
            match by_target.iter_mut().find(|(t, _)| *t == target) {
                Some((_, values)) => values.push(value),
                None => by_target.push((target, vec![value])),
            }
        }
        let variants = by_target
            .into_iter()
            .map(|(target, tags)| Variant {
                name: self.model_name(&target),
                ty: self.component(&target, direction),
                boxed: false,
                tags,
            })
            .collect();
        Shape::Union {
            tag: Some(tag.to_owned()),
            variants,
        }
    }

    /// A property every member has, with disjoint string values: a tag the spec does not
    /// declare but the members carry.
    fn inferred_tag(&self, members: &[Value]) -> Option<String> {
        let (first, _) = self.merged(members.first()?);
        'candidates: for (candidate, _) in first {
            let mut seen = HashSet::new();
            for member in members {
                let values = self.tag_values(member, &candidate);
                if values.is_empty() || !values.iter().all(|v| seen.insert(v.clone())) {
                    continue 'candidates;
                }
            }
            return Some(candidate);
        }
        None
    }

    fn tag_values(&self, member: &Value, tag: &str) -> Vec<String> {
        let (properties, _) = self.merged(member);
        properties
            .iter()
            .find(|(name, _)| name == tag)
            .and_then(|(_, schema)| enum_values(self.spec.resolve(schema)))
            .unwrap_or_default()
    }

    fn enum_type(&mut self, node: &Value, values: Vec<String>, hint: &str, file: &str) -> Ty {
        let titled = node
            .get("title")
            .and_then(Value::as_str)
            .map(naming::pascal);
        if let Some(names) = self.enums.get(&values) {
            let wanted = titled.as_deref().unwrap_or(hint);
            if let Some(found) = names
                .iter()
                .find(|n| n.trim_end_matches(char::is_numeric) == wanted)
            {
                return Ty::Named(found.clone());
            }
        }
        let (name, file) = match titled {
            Some(title) => {
                let name = self.fresh(&title);
                let file = naming::file(&name);
                (name, file)
            }
            None => (self.fresh(hint), file.to_owned()),
        };
        self.enums
            .entry(values.clone())
            .or_default()
            .push(name.clone());
        self.insert(
            &name,
            &file,
            hint,
            None,
            Shape::Enum {
                values: enum_variants(&values),
            },
        );
        self.inline_nodes.insert(name.clone(), node.clone());
        Ty::Named(name)
    }

    fn model_name(&self, schema: &str) -> String {
        self.names
            .get(schema)
            .cloned()
            .unwrap_or_else(|| naming::model(schema))
    }

    fn fresh(&self, base: &str) -> String {
        if !self.taken.contains(base) {
            return base.to_owned();
        }
        (2..)
            .map(|i| format!("{base}{i}"))
            .find(|n| !self.taken.contains(n))
            .unwrap_or_default()
    }

    /// Whether a component reads differently than it is sent.
    fn differs(&mut self, schema: &str) -> bool {
        self.differs.get(schema).copied().unwrap_or(false)
    }

    fn node_differs(&mut self, node: &Value) -> bool {
        let mut refs = Vec::new();
        scan(node, &mut refs) || refs.iter().any(|r| self.differs(r))
    }

    /// Marks the fields and variants that make a model contain itself as boxed.
    pub fn box_cycles(&mut self) {
        let edges: BTreeMap<String, Vec<String>> = self
            .models
            .iter()
            .map(|(name, model)| {
                let targets = match &model.shape {
                    Shape::Struct { fields } => fields
                        .iter()
                        .filter_map(|f| f.ty.by_value())
                        .map(str::to_owned)
                        .collect(),
                    Shape::Union { variants, .. } => variants
                        .iter()
                        .filter_map(|v| v.ty.by_value())
                        .map(str::to_owned)
                        .collect(),
                    Shape::Enum { .. } => Vec::new(),
                };
                (name.clone(), targets)
            })
            .collect();
        let component = strongly_connected(&edges);
        let same =
            |a: &str, b: &str| component.contains_key(a) && component.get(a) == component.get(b);
        for (name, model) in self.models.iter_mut() {
            match &mut model.shape {
                Shape::Struct { fields } => {
                    for field in fields {
                        field.boxed = field.ty.by_value().is_some_and(|t| same(name, t));
                    }
                }
                Shape::Union { variants, .. } => {
                    for variant in variants {
                        variant.boxed = variant.ty.by_value().is_some_and(|t| same(name, t));
                    }
                }
                Shape::Enum { .. } => {}
            }
        }
    }
}

/// Whether each component has read-only or write-only fields, itself or through the
/// schemas it holds: a fixed point, since schemas hold each other in cycles.
fn differs_by_schema(spec: &Spec) -> HashMap<String, bool> {
    let mut refs: HashMap<String, Vec<String>> = HashMap::new();
    let mut result: HashMap<String, bool> = HashMap::new();
    for (name, node) in spec.schemas() {
        let mut held = Vec::new();
        result.insert(name.clone(), scan(node, &mut held));
        refs.insert(name.clone(), held);
    }
    loop {
        let mut changed = false;
        for (name, held) in &refs {
            if !result[name] && held.iter().any(|r| result.get(r) == Some(&true)) {
                result.insert(name.clone(), true);
                changed = true;
            }
        }
        if !changed {
            return result;
        }
    }
}

/// Whether `node` itself (not through `$ref`s) marks a field read-only or write-only; the
/// components it refers to (discriminator mappings included) are pushed onto `refs`.
fn scan(node: &Value, refs: &mut Vec<String>) -> bool {
    if let Some(name) = ref_name(node) {
        refs.push(name.to_owned());
        return false;
    }
    match node {
        Value::Object(object) => {
            let mut found = object.get("readOnly") == Some(&Value::Bool(true))
                || object.get("writeOnly") == Some(&Value::Bool(true));
            for (key, child) in object {
                if key == "discriminator" {
                    let targets = child.get("mapping").and_then(Value::as_object);
                    for target in targets.into_iter().flatten().map(|(_, t)| t) {
                        if let Some(target) = target.as_str().and_then(|t| t.rsplit('/').next()) {
                            refs.push(target.to_owned());
                        }
                    }
                } else if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    found |= scan(child, refs);
                }
            }
            found
        }
        Value::Array(items) => items
            .iter()
            .fold(false, |found, child| scan(child, refs) | found),
        _ => false,
    }
}

/// Tarjan's algorithm: the strongly connected component of each model (only those in a
/// cycle, a self-loop included).
fn strongly_connected(edges: &BTreeMap<String, Vec<String>>) -> HashMap<String, usize> {
    struct State<'a> {
        edges: &'a BTreeMap<String, Vec<String>>,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: HashSet<&'a str>,
        next: usize,
        out: HashMap<String, usize>,
        components: usize,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        state.index.insert(node, state.next);
        state.low.insert(node, state.next);
        state.next += 1;
        state.stack.push(node);
        state.on_stack.insert(node);
        let targets = state.edges.get(node).map(Vec::as_slice).unwrap_or_default();
        for target in targets {
            let target = target.as_str();
            if !state.edges.contains_key(target) {
                continue;
            }
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[target].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.index[target].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut members = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                members.push(member);
                if member == node {
                    break;
                }
            }
            let self_loop = targets.iter().any(|t| t == node);
            if members.len() > 1 || self_loop {
                for member in members {
                    state.out.insert(member.to_owned(), state.components);
                }
                state.components += 1;
            }
        }
    }
    let mut state = State {
        edges,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: HashSet::new(),
        next: 0,
        out: HashMap::new(),
        components: 0,
    };
    for node in edges.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.out
}

/// A schema that becomes a model of its own (struct, enum or union), not a plain type.
fn is_model(node: &Value) -> bool {
    node.get("properties").is_some()
        || node.get("allOf").is_some()
        || node.get("oneOf").is_some()
        || enum_values(node).is_some()
}

fn is_base(node: &Value) -> bool {
    node.get("oneOf").is_none() && node.pointer("/discriminator/mapping").is_some()
}

/// The values of a string enum, or of a `oneOf` of string enums, in the spec's order.
pub fn enum_values(node: &Value) -> Option<Vec<String>> {
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        if node.get("type").and_then(Value::as_str) == Some("integer") {
            return None;
        }
        let strings: Vec<String> = values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        return (!strings.is_empty() && strings.len() == values.len()).then_some(strings);
    }
    let members = node.get("oneOf")?.as_array()?;
    let mut all = Vec::new();
    for member in members {
        for value in member.get("enum")?.as_array()? {
            let value = value.as_str()?.to_owned();
            if !all.contains(&value) {
                all.push(value);
            }
        }
    }
    Some(all)
}

/// Variant names for enum values, unique within the enum.
fn enum_variants(values: &[String]) -> Vec<(String, String)> {
    let mut taken = HashSet::new();
    values
        .iter()
        .map(|value| {
            let mut name = naming::pascal(value);
            // `Other` is the open enum's own variant; a variant named like a prelude type
            // makes rustc spell that type out in full (`std::string::String`) in every
            // diagnostic of a crate that links the models.
            const TAKEN: &[&str] = &[
                "Other", "String", "Option", "Result", "Vec", "Box", "Some", "None", "Ok", "Err",
            ];
            if TAKEN.contains(&name.as_str()) {
                name.push_str("Value");
            }
            while !taken.insert(name.clone()) {
                name.push('_');
            }
            (name, value.clone())
        })
        .collect()
}

fn field_facts(
    property: &Value,
    resolved: &Value,
    read_only: bool,
    write_only: bool,
) -> Vec<String> {
    let mut facts = Vec::new();
    let get = |key: &str| property.get(key).or_else(|| resolved.get(key));
    if let Some(format) = get("format").and_then(Value::as_str) {
        facts.push(format!("format `{format}`"));
    }
    if let Some(pattern) = get("pattern").and_then(Value::as_str) {
        facts.push(format!("pattern `{}`", pattern.replace('`', "\\`")));
    }
    for (key, label) in [
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("minLength", "minimum length"),
        ("maxLength", "maximum length"),
        ("minItems", "at least"),
        ("maxItems", "at most"),
    ] {
        if let Some(bound) = get(key).and_then(Value::as_f64) {
            let bound = if bound.fract() == 0.0 && bound.abs() < 1e15 {
                format!("{}", bound as i64)
            } else {
                bound.to_string()
            };
            let unit = if key.ends_with("Items") { " items" } else { "" };
            facts.push(format!("{label} {bound}{unit}"));
        }
    }
    if let Some(default) = get("default") {
        if !default.is_object() && !default.is_array() {
            facts.push(format!("default `{default}`"));
        }
    }
    if read_only {
        facts.push("read-only".to_owned());
    }
    if write_only {
        facts.push("write-only".to_owned());
    }
    if get("deprecated").and_then(Value::as_bool) == Some(true) {
        facts.push("deprecated".to_owned());
    }
    facts
}
