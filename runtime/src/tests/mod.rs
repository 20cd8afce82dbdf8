//! Property tests over the runtime's input handling.

mod properties;
