//! What the examples share (not an example itself: Cargo builds only `examples/*.rs` and
//! `examples/*/main.rs`).

#![allow(dead_code)] // each example uses its own part of this module

use std::process::ExitCode;

/// The variables that mean "talk to a real server": any of them set, the examples call Atlas
/// (or `MONGODB_ATLAS_BASE_URL`) instead of the built-in sandbox; half a pair is reported by
/// `Client::from_env`.
pub const CREDENTIAL_VARIABLES: [&str; 7] = [
    "MONGODB_ATLAS_ACCESS_TOKEN",
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
    "MONGODB_ATLAS_PUBLIC_KEY",
    "MONGODB_ATLAS_PRIVATE_KEY",
];

/// The exit status of a run: success, or the error as one line on stderr and a failure.
pub fn exit_status(outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
