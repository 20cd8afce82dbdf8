use atlas_endpoints::{atlas_endpoint, Call, Client, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/thing", idempotent)]
    fn get_thing(&self, group_id: &str) -> Call<Job>;
}

impl Things for Client {}

fn main() {}
