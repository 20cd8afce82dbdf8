//! The test controls of lifecycles: failing a resource, holding it where it is, and
//! reading its state, by the path the API names it with.

use super::store::Key;
use super::{Engine, PREFIX};

/// The key of a path as a test gives it: with or without `/api/atlas/v2` (and a query),
/// its segments percent-encoded or not.
fn key_of(path: &str) -> Key {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.starts_with(&PREFIX) {
        segments.drain(..PREFIX.len());
    }
    segments
        .into_iter()
        .map(|segment| crate::checks::percent_decode(segment, false))
        .collect()
}

impl Engine {
    /// Finds the resource in a lifecycle that `path` names, with every lifecycle moved on
    /// to now, and acts on it.
    fn control<T>(
        &self,
        path: &str,
        act: impl FnOnce(&mut super::store::Store, &Key) -> T,
    ) -> Option<T> {
        let mut store = self.store();
        store.settle(self.clock.elapsed());
        let key = store.find_moving(&key_of(path))?;
        Some(act(&mut store, &key))
    }

    /// See [`crate::Sandbox::fail`].
    pub fn fail(&self, path: &str) -> bool {
        let now = self.clock.elapsed();
        self.control(path, |store, key| store.fail(key, now))
            .unwrap_or(false)
    }

    /// See [`crate::Sandbox::hold`].
    pub fn hold(&self, path: &str) -> bool {
        self.control(path, |store, key| store.hold(key))
            .unwrap_or(false)
    }

    /// See [`crate::Sandbox::set_state`].
    pub fn set_state(&self, path: &str, state: &'static str) -> bool {
        self.control(path, |store, key| store.set_state(key, state))
            .unwrap_or(false)
    }

    /// See [`crate::Sandbox::state_of`].
    pub fn state_of(&self, path: &str) -> Option<String> {
        self.control(path, |store, key| store.state_of(key).map(str::to_owned))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::key_of;

    #[test]
    fn paths_are_read_with_or_without_the_prefix_encoded_or_not() {
        let want = ["groups", "g", "accessList", "10.0.0.0/16"];
        assert_eq!(
            key_of("/api/atlas/v2/groups/g/accessList/10.0.0.0%2F16"),
            want
        );
        assert_eq!(
            key_of("groups/g/accessList/10.0.0.0%2f16?pretty=true"),
            want
        );
        assert_eq!(
            key_of("/groups/g/clusters/c1"),
            ["groups", "g", "clusters", "c1"]
        );
    }
}
