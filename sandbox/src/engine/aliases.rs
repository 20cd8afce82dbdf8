//! Where the API names one stored object by more than one path, read from the tables,
//! and what a create copies into its object under another name.
//!
//! The spec cannot say that two paths name the same object: the rules here do, each
//! where the tables show it.
//!
//! - A create whose child is read only at a path with one more parameter stores its
//!   objects there, that parameter taken from the object's field of its name (an
//!   endpoint service, created at `/privateEndpoint/endpointService`, read at
//!   `/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}`); its own
//!   child path is an alias.
//! - A collection in [`NAMED_BY`] reaches its objects also by their fields (a search index
//!   by database, collection and name).
//! - A list whose path is a creating collection's plus `s` lists that collection
//!   (`/streams/{tenantName}/processors` lists `/processor`).

use std::collections::HashMap;

use serde_json::Value;

use super::resources::{Plan, Plans};
use super::store::Key;
use super::tables::Tables;
use super::template::{Segment, Template};

/// Body fields Atlas answers under another name: (how the create's path ends, (body
/// field, answer field)).
const ECHOED: &[(&str, &[(&str, &str)])] = &[(
    "/privateEndpoint/endpointService",
    &[("providerName", "cloudProvider"), ("region", "regionName")],
)];

/// Collections whose objects a second path names by their fields: (how the create's path
/// ends, the fields in the order of that path's parameters).
const NAMED_BY: &[(&str, &[&str])] = &[(
    "/clusters/{clusterName}/search/indexes",
    &["database", "collectionName", "name"],
)];

/// The aliases of the tables.
#[derive(Debug, Default)]
pub(crate) struct Aliases {
    /// By the path of a create: where in the key (after `/api/atlas/v2`) the parameter
    /// its objects are stored under goes, and the field that gives its value.
    stored_at: HashMap<String, (usize, String)>,
    /// By the path of a create: the fields that name its objects in a second path.
    named_by: HashMap<String, &'static [&'static str]>,
    /// By the path of a list: the path of the collection it lists.
    lists: HashMap<String, String>,
    /// The templates reached through an alias: objects there exist only once created.
    pub stateful: Vec<String>,
}

fn is_param(segment: &Segment) -> bool {
    matches!(segment, Segment::Param { prefix, suffix, .. } if prefix.is_empty() && suffix.is_empty())
}

/// The segments of `long` are those of `short` with one bare parameter inserted: where.
fn inserted(short: &Template, long: &Template) -> Option<usize> {
    if long.segments.len() != short.segments.len() + 1 {
        return None;
    }
    (0..long.segments.len()).find(|&index| {
        is_param(&long.segments[index])
            && long.segments[..index] == short.segments[..index]
            && long.segments[index + 1..] == short.segments[index..]
    })
}

impl Aliases {
    /// Reads the aliases of `tables`, whose operations have `plans`.
    pub fn read(tables: &Tables, plans: &Plans, prefix: usize) -> Aliases {
        let mut aliases = Aliases::default();
        let gets: Vec<&Template> = tables
            .operations
            .iter()
            .filter(|op| op.method == "GET")
            .map(|op| &op.template)
            .collect();
        let creates = tables
            .operations
            .iter()
            .zip(&plans.plans)
            .filter(|(op, plan)| op.method == "POST" && matches!(plan, Plan::Create { .. }));
        for (op, _) in creates {
            let child_paths: Vec<&Template> = tables
                .operations
                .iter()
                .filter(|other| {
                    other.template.segments.len() == op.template.segments.len() + 1
                        && other.path.starts_with(&format!("{}/", op.path))
                        && other.template.ends_in_param()
                })
                .map(|other| &other.template)
                .collect();
            let child_read = child_paths.iter().any(|child| gets.contains(child));
            if let (Some(child), false) = (child_paths.first(), child_read) {
                for read in &gets {
                    if let Some(index) = inserted(child, read) {
                        if let Segment::Param { name, .. } = &read.segments[index] {
                            aliases
                                .stored_at
                                .insert(op.path.clone(), (index - prefix, name.clone()));
                            aliases.stateful.push(render(read));
                        }
                    }
                }
            }
            if let Some((_, fields)) = NAMED_BY.iter().find(|(end, _)| op.path.ends_with(end)) {
                aliases.named_by.insert(op.path.clone(), fields);
                let own = op.template.segments.len();
                for read in &gets {
                    let named = read.segments.len() == own + fields.len()
                        && read.segments[..own] == op.template.segments[..]
                        && read.segments[own..].iter().all(is_param);
                    if named {
                        aliases.stateful.push(render(read));
                    }
                }
            }
            let plural = format!("{}s", op.path);
            if tables
                .operations
                .iter()
                .any(|other| other.method == "GET" && other.path == plural)
            {
                aliases.lists.insert(plural, op.path.clone());
            }
        }
        aliases
    }

    /// Copies into a created `entry` the body fields Atlas answers under another name.
    pub fn echo(create_path: &str, entry: &mut Value) {
        let Some((_, pairs)) = ECHOED.iter().find(|(end, _)| create_path.ends_with(end)) else {
            return;
        };
        if let Value::Object(map) = entry {
            for (from, to) in *pairs {
                if let (Some(value), false) = (map.get(*from).cloned(), map.contains_key(*to)) {
                    map.insert((*to).to_owned(), value);
                }
            }
        }
    }

    /// Where the object a create at `create_path` made at `key` is stored (`key`, or the
    /// path with the parameter the object's fields give), and the other keys that name it.
    pub fn place(&self, create_path: &str, key: Key, entry: &Value) -> (Key, Vec<Key>) {
        let text = |field: &str| entry.get(field).and_then(Value::as_str).map(str::to_owned);
        let mut others = Vec::new();
        let mut stored = key.clone();
        if let Some((index, field)) = self.stored_at.get(create_path) {
            if let (Some(value), true) = (text(field), *index <= key.len()) {
                stored.insert(*index, value);
                others.push(key.clone());
            }
        }
        if let Some(fields) = self.named_by.get(create_path) {
            let names: Option<Vec<String>> = fields.iter().map(|field| text(field)).collect();
            if let Some(names) = names {
                let mut named = key[..key.len().saturating_sub(1)].to_vec();
                named.extend(names);
                others.push(named);
            }
        }
        (stored, others)
    }

    /// The key a list at `list_path` (with key `key`) lists the children of.
    pub fn listed(&self, list_path: &str, key: &Key) -> Key {
        let mut key = key.clone();
        if let (Some(collection), Some(last)) = (self.lists.get(list_path), key.last_mut()) {
            if let Some((_, segment)) = collection.rsplit_once('/') {
                *last = segment.to_owned();
            }
        }
        key
    }
}

fn render(template: &Template) -> String {
    format!("/{}", super::render_template(&template.segments))
}

#[cfg(test)]
mod tests {
    use crate::engine::{resources, tables::tables};

    #[test]
    fn the_tables_show_three_aliases() {
        let tables = tables();
        let aliases = resources::plan(tables).aliases;
        assert_eq!(aliases.stored_at.len(), 1);
        let mut stateful = aliases.stateful.clone();
        stateful.sort();
        assert_eq!(
            stateful,
            [
                "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/search/indexes/\
                 {databaseName}/{collectionName}/{indexName}",
                "/api/atlas/v2/groups/{groupId}/privateEndpoint/{cloudProvider}/\
                 endpointService/{endpointServiceId}",
            ]
        );
        assert_eq!(
            aliases.lists.keys().collect::<Vec<_>>(),
            ["/api/atlas/v2/groups/{groupId}/streams/{tenantName}/processors"]
        );
    }
}
