//! Nothing of its own: this crate depends on `atlas-endpoints` with every tag feature
//! (`full`), so `cargo test --workspace` compiles the whole generated API, and its test
//! `tests/conformance.rs` holds every declared endpoint and every model against the spec.
