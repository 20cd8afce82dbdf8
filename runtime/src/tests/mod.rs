//! Property tests over the runtime's input handling.

pub(crate) mod fixtures;
mod properties;
