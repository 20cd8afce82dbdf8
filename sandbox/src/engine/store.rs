//! The engine's state: every stored object under the decoded segments of its path
//! (`["groups", "5e22...", "clusters", "Cluster0"]`), and the sandbox's clock.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};

use super::lifecycle::{self, After, Phase};

/// A path, as decoded segments after `/api/atlas/v2` (a value may hold a `/`).
pub(crate) type Key = Vec<String>;

/// One stored object.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub value: Value,
    /// The schema the value was last completed for (its text), so that an object read
    /// again as the same schema is not completed again.
    pub completed_for: Option<String>,
    /// The order of creation, which listings follow.
    pub seq: u64,
    pub phase: Option<Phase>,
}

/// Every stored object.
#[derive(Debug, Default)]
pub(crate) struct Store {
    objects: BTreeMap<Key, Stored>,
    /// The objects in a lifecycle, so that settling does not visit every object.
    moving: BTreeSet<Key>,
    seq: u64,
    ids: u64,
}

impl Store {
    /// A new 24-hex id, increasing, unlike any the sandbox gave before.
    pub fn new_id(&mut self) -> String {
        self.ids += 1;
        format!("6a{:022x}", self.ids)
    }

    pub fn get(&self, key: &Key) -> Option<&Stored> {
        self.objects.get(key)
    }

    pub fn contains(&self, key: &Key) -> bool {
        self.objects.contains_key(key)
    }

    /// Stores `value` at `key`, as the newest object (or in the place of the one there).
    pub fn put(&mut self, key: Key, value: Value, phase: Option<Phase>) {
        let seq = match self.objects.get(&key) {
            Some(old) => old.seq,
            None => {
                self.seq += 1;
                self.seq
            }
        };
        if phase.is_some() {
            self.moving.insert(key.clone());
        }
        self.objects.insert(
            key,
            Stored {
                value,
                seq,
                phase,
                completed_for: None,
            },
        );
    }

    /// Starts a lifecycle phase for the object at `key`.
    pub fn set_phase(&mut self, key: &Key, phase: Phase) {
        if let Some(stored) = self.objects.get_mut(key) {
            stored.phase = Some(phase);
            self.moving.insert(key.clone());
        }
    }

    /// Changes the object at `key` in place.
    pub fn get_mut(&mut self, key: &Key) -> Option<&mut Stored> {
        self.objects.get_mut(key)
    }

    /// Removes the object at `key` and every object below it.
    pub fn remove_tree(&mut self, key: &Key) {
        self.objects
            .retain(|other, _| !(other.len() >= key.len() && other[..key.len()] == key[..]));
    }

    /// The objects `depth` segments below `key`, oldest first.
    pub fn children(&self, key: &Key, depth: usize) -> Vec<&Stored> {
        self.child_entries(key, depth)
            .into_iter()
            .map(|(_, stored)| stored)
            .collect()
    }

    /// [`Store::children`], with their keys.
    pub fn child_entries(&self, key: &Key, depth: usize) -> Vec<(&Key, &Stored)> {
        let mut found: Vec<(&Key, &Stored)> = self
            .objects
            .range(key.clone()..)
            .take_while(|(other, _)| other.len() >= key.len() && other[..key.len()] == key[..])
            .filter(|(other, _)| other.len() == key.len() + depth)
            .collect();
        found.sort_by_key(|(_, stored)| stored.seq);
        found
    }

    /// Moves every resource in a lifecycle on to where it is at `now`: its state field
    /// shows the current state; a settled one loses its phase, a deleted one is removed.
    pub fn settle(&mut self, now: Duration) {
        let mut gone = Vec::new();
        let mut settled = Vec::new();
        for key in &self.moving {
            let Some(stored) = self.objects.get_mut(key) else {
                settled.push(key.clone());
                continue;
            };
            let Some(phase) = &stored.phase else {
                settled.push(key.clone());
                continue;
            };
            let field = phase.lifecycle.field;
            let state = match lifecycle::state_at(phase, now) {
                Some(state) => state,
                None if phase.then == After::Remove => {
                    gone.push(key.clone());
                    continue;
                }
                None => {
                    let state = phase.lifecycle.settled;
                    stored.phase = None;
                    settled.push(key.clone());
                    state
                }
            };
            if let Value::Object(map) = &mut stored.value {
                map.insert(field.to_owned(), json!(state));
            }
        }
        for key in settled {
            self.moving.remove(&key);
        }
        for key in gone {
            self.moving.remove(&key);
            self.remove_tree(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &str) -> Key {
        path.split('/').map(str::to_owned).collect()
    }

    #[test]
    fn children_are_listed_oldest_first_and_removed_with_their_parent() {
        let mut store = Store::default();
        store.put(key("groups/g"), json!({}), None);
        store.put(key("groups/g/clusters/b"), json!({"name": "b"}), None);
        store.put(key("groups/g/clusters/a"), json!({"name": "a"}), None);
        store.put(key("groups/g/clusters/a/backup/schedule"), json!({}), None);
        store.put(key("groups/h/clusters/c"), json!({"name": "c"}), None);
        let names: Vec<&Value> = store
            .children(&key("groups/g/clusters"), 1)
            .iter()
            .map(|s| &s.value["name"])
            .collect();
        assert_eq!(names, [&json!("b"), &json!("a")]);
        store.remove_tree(&key("groups/g"));
        assert!(!store.contains(&key("groups/g/clusters/a/backup/schedule")));
        assert!(store.contains(&key("groups/h/clusters/c")));
    }

    #[test]
    fn ids_are_24_hex_and_increase() {
        let mut store = Store::default();
        let (a, b) = (store.new_id(), store.new_id());
        assert_eq!(a.len(), 24);
        assert!(a < b);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
