use atlas_endpoints::{atlas_endpoint, Call, Client, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(POST, "/groups/<group_id>/things", serialize_by(project_id))]
    fn create_thing(&self, group_id: &str) -> Call<Job>;
}

impl Things for Client {}

fn main() {}
