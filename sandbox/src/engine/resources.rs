//! What each operation does to the sandbox's state, read from the shape of the paths.
//!
//! A `POST` on a path whose child (`.../clusters/{clusterName}`) the spec also declares
//! creates that child; a `GET` on such a path lists the children; `GET`, `PATCH`, `PUT` and
//! `DELETE` on the child read, merge, replace and delete it. Children that no operation
//! creates (processes, invoices, ...) are made up on each read. A path that ends in literal
//! text and names no child (`.../maintenanceWindow`) is one stored object; a `POST` there is
//! an action, answered but not stored.
//!
//! The spec cannot say which body field names a created child: the rules in
//! [`identity_field`] and the exceptions in [`IDENTITY`] do.

use std::collections::{HashMap, HashSet};

use super::aliases::Aliases;
use super::tables::{Operation, Tables};
use super::template::{Segment, Template};

/// What one operation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Stores a new child `depth` segments below the path, named by these body fields
    /// (`None`: a new id).
    Create { fields: Vec<Option<String>> },
    /// Creates or replaces the object at the path (a `POST` or `PUT` on a child the spec
    /// lets the client name).
    Put,
    /// Lists the children `depth` segments below the path.
    List { depth: usize },
    /// Reads the child at the path (404 when absent, if `stateful`).
    Read { stateful: bool },
    /// Merges the body into the child at the path.
    Merge { stateful: bool },
    /// Replaces the child at the path with the body.
    Replace { stateful: bool },
    /// Deletes the child at the path and everything below it.
    Delete { stateful: bool },
    /// Reads the one object at the path (made up until written).
    ReadSingleton,
    /// Writes the one object at the path (merging for `PATCH`; a `POST` creates it).
    WriteSingleton { merge: bool },
    /// Forgets the one object at the path.
    DeleteSingleton,
    /// Answers and changes nothing.
    Action,
}

impl Plan {
    /// The same plan for objects the default data holds: absent ones are a 404.
    pub fn make_stateful(&mut self) {
        match self {
            Plan::Read { stateful } | Plan::Merge { stateful } | Plan::Delete { stateful } => {
                *stateful = true
            }
            _ => {}
        }
    }
}

/// How body fields name created children, where the general rules do not say: (the
/// collection's last segment, the fields in order of the child's path parameters).
const IDENTITY: &[(&str, &[&str])] = &[
    ("customDBRoles/roles", &["roleName"]),
    ("accessList", &["cidrBlock|ipAddress|awsSecurityGroup"]),
    ("whitelist", &["cidrBlock|ipAddress"]),
];

/// The plans of every operation, and which child templates hold state.
pub(crate) struct Plans {
    pub plans: Vec<Plan>,
    /// Child templates (`/api/atlas/v2/groups/{groupId}`) whose objects exist only once
    /// created: a path below one needs it to exist.
    pub stateful: HashSet<String>,
    /// The same, as [`shape`]s, for collections whose paths name their parameters
    /// differently (`/serverless/{name}`, `/serverless/{clusterName}/backup/...`).
    pub stateful_shapes: HashSet<String>,
    /// The paths that name objects stored under other paths.
    pub aliases: Aliases,
}

/// The body field (or `a|b` alternatives) that names the child of `collection` in the
/// path parameter `param`: an exception of [`IDENTITY`], a field of the parameter's name,
/// `name` for a `...Name` parameter, or else none (a new id).
pub(crate) fn identity_field(
    collection: &str,
    param: &str,
    index: usize,
    body_fields: &[&str],
) -> Option<String> {
    for (suffix, fields) in IDENTITY {
        if collection.ends_with(suffix) {
            return fields.get(index).map(|field| field.to_string());
        }
    }
    let has = |name: &str| body_fields.contains(&name).then(|| name.to_owned());
    has(param).or_else(|| {
        (param.ends_with("Name") || param == "name")
            .then(|| has("name"))
            .flatten()
    })
}

/// A path template with its parameters unnamed: two operations may call the same
/// parameter differently (`/serverless/{name}` and `/serverless/{clusterName}/backup`).
pub(crate) fn shape(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Reads every operation's plan from the paths.
pub(crate) fn plan(tables: &Tables) -> Plans {
    let by_path: HashMap<&str, Vec<&Operation>> =
        tables
            .operations
            .iter()
            .fold(HashMap::new(), |mut map, op| {
                map.entry(op.path.as_str()).or_default().push(op);
                map
            });
    let children = |path: &str| -> Option<(String, usize)> {
        by_path
            .keys()
            .filter_map(|other| {
                let rest = other.strip_prefix(path)?.strip_prefix('/')?;
                let segments: Vec<&str> = rest.split('/').collect();
                let bare = segments
                    .iter()
                    .all(|s| s.starts_with('{') && s.ends_with('}'));
                (bare && segments.len() <= 2).then(|| (other.to_string(), segments.len()))
            })
            .min_by_key(|(_, depth)| *depth)
    };

    let reads = |path: &str| {
        by_path
            .get(path)
            .is_some_and(|ops| ops.iter().any(|op| op.method == "GET"))
    };
    let mut stateful = HashSet::new();
    for op in &tables.operations {
        if op.method == "POST" {
            if let Some((child, _)) = children(&op.path) {
                stateful.insert(child);
            }
        }
        if matches!(op.method.as_str(), "PUT" | "POST") && op.template.ends_in_param() {
            stateful.insert(op.path.clone());
        }
    }
    let plans: Vec<Plan> = tables
        .operations
        .iter()
        .map(|op| {
            let child = children(&op.path);
            let item = op.template.ends_in_param();
            let is_stateful = stateful.contains(&op.path);
            match op.method.as_str() {
                "POST" if child.is_some() => {
                    let (child, _) = child.unwrap_or_default();
                    let child = Template::parse(&child);
                    let collection = collection_name(&op.template);
                    let body_fields = body_fields(tables, op);
                    let body_fields: Vec<&str> = body_fields.iter().map(String::as_str).collect();
                    let own = op.template.segments.len();
                    let fields = child.segments[own..]
                        .iter()
                        .enumerate()
                        .map(|(index, segment)| match segment {
                            Segment::Param { name, .. } => {
                                identity_field(&collection, name, index, &body_fields)
                            }
                            Segment::Literal(_) => None,
                        })
                        .collect();
                    Plan::Create { fields }
                }
                "POST" if item => Plan::Put,
                // A POST where a GET reads one object creates that object
                // (`.../search/deployment`); elsewhere it is an action (`:pause`).
                "POST" if reads(&op.path) => Plan::WriteSingleton { merge: false },
                "POST" => Plan::Action,
                "GET" if child.is_some() || (op.paging && !item) => Plan::List {
                    depth: child.map_or(1, |(_, depth)| depth),
                },
                "GET" if item => Plan::Read {
                    stateful: is_stateful,
                },
                "GET" => Plan::ReadSingleton,
                "PATCH" if item => Plan::Merge {
                    stateful: is_stateful,
                },
                "PUT" if item => Plan::Replace { stateful: false },
                "PATCH" => Plan::WriteSingleton { merge: true },
                "PUT" => Plan::WriteSingleton { merge: false },
                "DELETE" if item => Plan::Delete {
                    stateful: is_stateful,
                },
                "DELETE" => Plan::DeleteSingleton,
                _ => Plan::Action,
            }
        })
        .collect();
    let mut plans = Plans {
        plans,
        stateful,
        stateful_shapes: HashSet::new(),
        aliases: Aliases::default(),
    };
    // What a path names through an alias exists only once created, as where it is stored.
    plans.aliases = Aliases::read(tables, &plans, super::PREFIX.len());
    for (op, plan) in tables.operations.iter().zip(plans.plans.iter_mut()) {
        if plans.aliases.stateful.contains(&op.path) {
            plan.make_stateful();
        }
    }
    plans
        .stateful
        .extend(plans.aliases.stateful.iter().cloned());
    plans
}

/// `groups/{groupId}/customDBRoles/roles` → `customDBRoles/roles`: the literal segments
/// after the last parameter.
fn collection_name(template: &Template) -> String {
    let mut literal = Vec::new();
    for segment in template.segments.iter().rev() {
        match segment {
            Segment::Literal(text) => literal.push(text.as_str()),
            Segment::Param { .. } => break,
        }
    }
    literal.reverse();
    literal.join("/")
}

/// The top-level fields of an operation's request bodies.
fn body_fields(tables: &Tables, op: &Operation) -> Vec<String> {
    let mut fields = Vec::new();
    for version in &op.versions {
        if let Some(body) = &version.body {
            collect_fields(tables, &body.schema, &mut fields, 0);
        }
    }
    fields
}

fn collect_fields(
    tables: &Tables,
    schema: &serde_json::Value,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    let schema = tables.resolve(schema);
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            collect_fields(tables, part, out, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        collect_fields(tables, items, out, depth + 1);
    }
    for name in schema
        .get("properties")
        .and_then(|p| p.as_object())
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tables::tables;

    fn plan_of(id: &str) -> Plan {
        let tables = tables();
        let plans = plan(tables);
        let index = tables
            .operations
            .iter()
            .position(|op| op.id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        plans.plans[index].clone()
    }

    #[test]
    fn the_families_read_as_a_person_would() {
        assert_eq!(plan_of("createGroup"), Plan::Create { fields: vec![None] });
        assert_eq!(
            plan_of("createGroupCluster"),
            Plan::Create {
                fields: vec![Some("name".into())]
            }
        );
        assert_eq!(
            plan_of("createGroupDatabaseUser"),
            Plan::Create {
                fields: vec![Some("databaseName".into()), Some("username".into())]
            }
        );
        assert_eq!(
            plan_of("createGroupAccessListEntry"),
            Plan::Create {
                fields: vec![Some("cidrBlock|ipAddress|awsSecurityGroup".into())]
            }
        );
        assert_eq!(plan_of("listGroupClusters"), Plan::List { depth: 1 });
        assert_eq!(plan_of("getGroupCluster"), Plan::Read { stateful: true });
        assert_eq!(
            plan_of("updateGroupCluster"),
            Plan::Merge { stateful: true }
        );
        assert_eq!(
            plan_of("deleteGroupCluster"),
            Plan::Delete { stateful: true }
        );
        assert_eq!(plan_of("getGroupProcess"), Plan::Read { stateful: false });
        assert_eq!(plan_of("getGroupMaintenanceWindow"), Plan::ReadSingleton);
        assert_eq!(
            plan_of("updateGroupMaintenanceWindow"),
            Plan::WriteSingleton { merge: true }
        );
    }
}
