//! Per-client locks for operations that do not take concurrent requests on one resource
//! (`serialize_by(group_id)`): the project IP access list's, whose spec says "This endpoint
//! doesn't support concurrent `POST` requests".

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use percent_encoding::utf8_percent_encode;

use crate::endpoint::{Endpoint, Segment};

/// The locks of one client, one per key in use; a key's lock is dropped once no call holds or
/// waits for it.
#[derive(Default)]
pub(crate) struct SerialLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// A held lock; released (and forgotten when no other call waits for it) when dropped.
pub(crate) struct SerialGuard<'a> {
    locks: &'a SerialLocks,
    key: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl SerialLocks {
    /// Waits until no other call of this client holds `key`, then holds it.
    pub(crate) async fn lock(&self, key: &str) -> SerialGuard<'_> {
        let mutex = {
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(locks.entry(key.to_owned()).or_default())
        };
        let guard = mutex.lock_owned().await;
        SerialGuard {
            locks: self,
            key: key.to_owned(),
            guard: Some(guard),
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

impl Drop for SerialGuard<'_> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut locks = self
            .locks
            .locks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if locks
            .get(&self.key)
            .is_some_and(|mutex| Arc::strong_count(mutex) == 1)
        {
            locks.remove(&self.key);
        }
    }
}

/// The key of a call of a `serialize_by` endpoint: its path up to the serialized value and the
/// collection that follows it, `/groups/<group_id>/accessList` for both
/// `/groups/<group_id>/accessList` and `/groups/<group_id>/accessList/<entry_value>`, so the
/// mutations of one project's access list share a lock and other resources do not.
pub(crate) fn serial_key(endpoint: &Endpoint, values: &[&str]) -> Option<String> {
    let serialized = endpoint.serialize_by?;
    let mut key = String::with_capacity(endpoint.template.len() + 32);
    let mut after_value = false;
    for segment in endpoint.segments {
        match *segment {
            Segment::Literal(text) if after_value => {
                // The rest of the value's segment and the next segment, without what follows.
                let end = text
                    .char_indices()
                    .skip(1)
                    .find(|&(_, c)| c == '/')
                    .map_or(text.len(), |(at, _)| at);
                key.push_str(&text[..end]);
                return Some(key);
            }
            Segment::Literal(text) => key.push_str(text),
            Segment::Param(_) if after_value => return Some(key),
            Segment::Param(index) => {
                key.extend(utf8_percent_encode(
                    values.get(index).copied().unwrap_or_default(),
                    percent_encoding::NON_ALPHANUMERIC,
                ));
                after_value = index == serialized;
            }
        }
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::fixtures::{ACCESS_LIST_CREATE, ACCESS_LIST_DELETE};

    #[test]
    fn the_mutations_of_one_access_list_share_a_key_and_other_projects_do_not() {
        let create = serial_key(&ACCESS_LIST_CREATE, &["a1"]);
        assert_eq!(create.as_deref(), Some("/groups/a1/accessList"));
        assert_eq!(
            serial_key(&ACCESS_LIST_DELETE, &["a1", "10.0.0.0/24"]),
            create
        );
        assert_ne!(
            serial_key(&ACCESS_LIST_DELETE, &["b2", "10.0.0.0/24"]),
            create
        );
        assert_eq!(ACCESS_LIST_CREATE.serialize_by(), Some("group_id"));
    }

    #[tokio::test]
    async fn a_lock_is_forgotten_once_released() {
        let locks = SerialLocks::default();
        {
            let _held = locks.lock("k").await;
            assert_eq!(locks.len(), 1);
        }
        assert_eq!(locks.len(), 0);
    }
}
