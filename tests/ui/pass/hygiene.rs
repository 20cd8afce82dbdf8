// The expansion names everything by absolute path, so it compiles without the prelude and
// whatever the calling module defines, and it trips no lint.
#![no_implicit_prelude]
#![deny(warnings, unused_qualifications, unused_results, unsafe_code)]
#![allow(dead_code)]

use ::atlas_endpoints::{atlas_endpoint, Call, Client, Paginated, ServerlessBackupRestoreJob};

// Names an unhygienic expansion would pick up from here instead of the runtime's.
struct Option;
struct Some;
struct None;
struct AsRef;
struct Result;
struct Ok;
struct Endpoint;
struct Method;
struct Segment;
struct PathParam;
struct QueryParam;
struct Pattern;
static OBJECT_ID: u8 = 0;
static CLUSTER_NAME: u8 = 0;
trait AtlasClient {}
trait QueryValue {}
trait Serialize {}
fn endpoint_call() {}
mod core {}
mod std {}
mod serde {}
mod atlas_endpoints {
    pub mod __private {}
}

pub trait Hygiene {
    #[atlas_endpoint(GET, "/groups/<group_id>/things", paginated)]
    fn list_things(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[query] include_deleted: ::core::option::Option<bool>,
    ) -> Paginated<ServerlessBackupRestoreJob>;

    #[atlas_endpoint(POST, "/groups/<group_id>/things/<name>", version = "2024-11-13")]
    fn create_thing(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-z]+$")] name: &str,
        #[body] thing: &ServerlessBackupRestoreJob,
    ) -> Call<ServerlessBackupRestoreJob>;

    #[atlas_endpoint(DELETE, "/groups/<group_id>/things/<id>", deprecated = "gone")]
    fn delete_thing(&self, #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str, #[path(pattern = "^([a-f0-9]{24})$")] id: &str) -> Call<()>;
}

impl Hygiene for Client {}

fn main() {}
