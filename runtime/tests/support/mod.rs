#![allow(dead_code)] // each test file uses its own part of this module

//! What the runtime's integration tests share: one endpoint declared by hand (the runtime
//! cannot use the attribute, whose expansion names the facade), and a call of it.

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{Call, Client, Endpoint, Method, Segment};

/// `GET /`, below the API prefix.
pub static GET_ROOT: Endpoint =
    Endpoint::builder(Method::Get, "get_root", "/", &[Segment::Literal("/")], &[]).build();

/// A call of [`GET_ROOT`] through `client`.
pub fn get_root(client: &Client) -> Call<serde_json::Value> {
    endpoint_call(client, &GET_ROOT, &[], &[], None::<&()>)
}

/// A client with a bearer token for the server at `base_url`.
pub fn bearer_client(base_url: impl Into<String>) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token("t")
        .build()
        .unwrap()
}
