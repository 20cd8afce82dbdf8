//! The engine's state: every stored object under the decoded segments of its path
//! (`["groups", "5e22...", "clusters", "Cluster0"]`), the other paths that name some of
//! them, and where each resource with a lifecycle is in it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::lifecycle::{self, After, Lifecycle, Phase};

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
    /// The lifecycle the object is in (moving or not) and the state it shows.
    pub life: Option<(&'static Lifecycle, &'static str)>,
}

/// Every stored object.
#[derive(Debug, Default)]
pub(crate) struct Store {
    objects: BTreeMap<Key, Stored>,
    /// The objects in a lifecycle, so that settling does not visit every object.
    moving: BTreeSet<Key>,
    /// Other paths of stored objects (a search index by its names, for its id's path).
    aliases: BTreeMap<Key, Key>,
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

    /// Stores `value` at `key`, as the newest object (or in the place of the one there),
    /// showing the state of `phase` at `now` if it has one. An object replaced without a
    /// phase stays in its lifecycle.
    pub fn put(&mut self, key: Key, value: Value, phase: Option<Phase>, now: Duration) {
        let (seq, life) = match self.objects.get(&key) {
            Some(old) => (old.seq, old.life),
            None => {
                self.seq += 1;
                (self.seq, None)
            }
        };
        self.objects.insert(
            key.clone(),
            Stored {
                value,
                seq,
                phase: None,
                life,
                completed_for: None,
            },
        );
        if let Some(phase) = phase {
            self.set_phase(&key, phase, now);
        }
    }

    /// Starts a lifecycle phase for the object at `key`, showing its state at `now`.
    pub fn set_phase(&mut self, key: &Key, phase: Phase, now: Duration) {
        if let Some(stored) = self.objects.get_mut(key) {
            stored.phase = Some(phase);
            self.moving.insert(key.clone());
            self.step(key, now);
        }
    }

    /// Records that `alias` names the object at `key` too.
    pub fn alias(&mut self, alias: Key, key: Key) {
        if alias != key {
            self.aliases.insert(alias, key);
        }
    }

    /// The key of the object `key` names: itself, or what an alias of it (or of one of
    /// its parents) stands for.
    pub fn resolve(&self, key: &Key) -> Key {
        (1..=key.len())
            .rev()
            .find_map(|end| {
                self.aliases.get(&key[..end]).map(|target| {
                    let mut resolved = target.clone();
                    resolved.extend_from_slice(&key[end..]);
                    resolved
                })
            })
            .unwrap_or_else(|| key.clone())
    }

    /// The key of the resource in a lifecycle that `key` names: the resource, or the
    /// object below it that shows its state.
    pub fn find_moving(&self, key: &Key) -> Option<Key> {
        self.find_in_lifecycle(key).or_else(|| {
            let (last, parent) = key.split_last()?;
            let parent = self.find_in_lifecycle(&parent.to_vec())?;
            let below = self.objects.get(&parent)?.life?.0.below()?;
            (below == last).then_some(parent)
        })
    }

    /// The key of the object in a lifecycle that `key` names, also where a value that
    /// holds a `/` (a CIDR block) was given decoded, as two segments.
    fn find_in_lifecycle(&self, key: &Key) -> Option<Key> {
        let resolved = self.resolve(key);
        if self
            .objects
            .get(&resolved)
            .is_some_and(|s| s.life.is_some())
        {
            return Some(resolved);
        }
        let joined = key.join("/");
        self.objects
            .iter()
            .find(|(other, stored)| stored.life.is_some() && other.join("/") == joined)
            .map(|(other, _)| other.clone())
    }

    /// The state a resource in a lifecycle shows now.
    pub fn state_of(&self, key: &Key) -> Option<&'static str> {
        self.objects.get(key)?.life.map(|(_, state)| state)
    }

    /// Puts the resource at `key` in its lifecycle's failed state, for good (until a
    /// change starts another phase): whether it has one.
    pub fn fail(&mut self, key: &Key, now: Duration) -> bool {
        let Some(stored) = self.objects.get_mut(key) else {
            return false;
        };
        let Some((lifecycle, _)) = stored.life else {
            return false;
        };
        let Some(failed) = lifecycle.failed else {
            return false;
        };
        stored.phase = None;
        self.moving.remove(key);
        let finished = lifecycle.finished_at.map(|field| (field, now));
        self.show(key, lifecycle, failed, finished);
        true
    }

    /// Shows `state` on the resource at `key` and holds it there (as [`Store::hold`]):
    /// whether it is in a lifecycle.
    pub fn set_state(&mut self, key: &Key, state: &'static str) -> bool {
        let Some(stored) = self.objects.get_mut(key) else {
            return false;
        };
        let Some((lifecycle, _)) = stored.life else {
            return false;
        };
        stored.phase = None;
        self.moving.remove(key);
        self.show(key, lifecycle, state, None);
        true
    }

    /// Stops the resource at `key` where it is in its lifecycle, until a change starts
    /// another phase: whether it is in one.
    pub fn hold(&mut self, key: &Key) -> bool {
        let Some(stored) = self.objects.get_mut(key) else {
            return false;
        };
        stored.phase = None;
        self.moving.remove(key);
        stored.life.is_some()
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
        let moving: Vec<Key> = self.moving.iter().cloned().collect();
        for key in moving {
            self.step(&key, now);
        }
    }

    /// Moves the resource at `key` on to where it is at `now` (see [`Store::settle`]).
    fn step(&mut self, key: &Key, now: Duration) {
        let Some(phase) = self.objects.get(key).and_then(|s| s.phase.clone()) else {
            self.moving.remove(key);
            return;
        };
        let lifecycle = phase.lifecycle;
        match (lifecycle::state_at(&phase, now), phase.then) {
            (Some(state), _) => self.show(key, lifecycle, state, None),
            (None, After::Remove) => {
                self.moving.remove(key);
                self.remove_tree(key);
            }
            (None, After::Settle(state)) => {
                self.moving.remove(key);
                if let Some(stored) = self.objects.get_mut(key) {
                    stored.phase = None;
                }
                let finished = lifecycle.finished_at.map(|field| (field, phase.end()));
                self.show(key, lifecycle, state, finished);
            }
        }
    }

    /// Shows `state` where the lifecycle shows it, and the time `finished` names (on the
    /// sandbox's clock) in its field.
    fn show(
        &mut self,
        key: &Key,
        lifecycle: &'static Lifecycle,
        state: &'static str,
        finished: Option<(&'static str, Duration)>,
    ) {
        let Some(stored) = self.objects.get_mut(key) else {
            return;
        };
        stored.life = Some((lifecycle, state));
        if let Value::Object(map) = &mut stored.value {
            if let Some((field, at)) = finished {
                map.insert(field.to_owned(), json!(super::date_at(at)));
            }
            if lifecycle.below().is_none() {
                lifecycle.write(map, state);
            }
        }
        if let Some(segment) = lifecycle.below() {
            let mut at = key.clone();
            at.push(segment.to_owned());
            let mut map = Map::new();
            lifecycle.write(&mut map, state);
            match self.objects.get_mut(&at) {
                Some(below) => below.value = Value::Object(map),
                None => self.put(at, Value::Object(map), None, Duration::ZERO),
            }
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
        store.put(key("groups/g"), json!({}), None, Duration::ZERO);
        store.put(
            key("groups/g/clusters/b"),
            json!({"name": "b"}),
            None,
            Duration::ZERO,
        );
        store.put(
            key("groups/g/clusters/a"),
            json!({"name": "a"}),
            None,
            Duration::ZERO,
        );
        store.put(
            key("groups/g/clusters/a/backup/schedule"),
            json!({}),
            None,
            Duration::ZERO,
        );
        store.put(
            key("groups/h/clusters/c"),
            json!({"name": "c"}),
            None,
            Duration::ZERO,
        );
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
