//! Identifiers the sandbox hands out: Digest nonces, the Digest `opaque`
//! value and access tokens.
//!
//! They only need to be unique and hard to guess by accident, not secret:
//! each is the hex SHA-256 of a per-generator seed (wall-clock time at
//! creation, process id, how many generators this process made), a kind
//! label and a counter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Generators made so far in this process, so that two sandboxes started in
/// the same nanosecond still differ.
static GENERATORS: AtomicU64 = AtomicU64::new(0);

/// Makes unique identifiers.
#[derive(Debug)]
pub(crate) struct Ids {
    seed: Vec<u8>,
    counter: AtomicU64,
}

impl Ids {
    pub(crate) fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        let mut hasher = Sha256::new();
        hasher.update(nanos.to_le_bytes());
        hasher.update(std::process::id().to_le_bytes());
        hasher.update(GENERATORS.fetch_add(1, Ordering::Relaxed).to_le_bytes());
        Ids {
            seed: hasher.finalize().to_vec(),
            counter: AtomicU64::new(0),
        }
    }

    /// A never-repeated identifier: 64 lowercase hex digits.
    pub(crate) fn fresh(&self, kind: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        self.derive(kind, n)
    }

    /// The same identifier on every call for `kind`: 64 lowercase hex digits.
    pub(crate) fn fixed(&self, kind: &str) -> String {
        self.derive(kind, u64::MAX)
    }

    fn derive(&self, kind: &str, n: u64) -> String {
        let mut hasher = Sha256::new();
        hasher.update(&self.seed);
        // The length prefix keeps `kind` and `n` from running into each other.
        hasher.update((kind.len() as u64).to_le_bytes());
        hasher.update(kind.as_bytes());
        hasher.update(n.to_le_bytes());
        hex(&hasher.finalize())
    }
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_differ_and_fixed_ones_do_not() {
        let ids = Ids::new();
        let a = ids.fresh("nonce");
        let b = ids.fresh("nonce");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(ids.fixed("opaque"), ids.fixed("opaque"));
        assert_ne!(ids.fixed("opaque"), ids.fixed("other"));
        assert_ne!(Ids::new().fixed("opaque"), ids.fixed("opaque"));
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(hex(&[]), "");
    }
}
