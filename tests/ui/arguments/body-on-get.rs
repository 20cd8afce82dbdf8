use atlas_endpoints::{atlas_endpoint, Call, Client, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters")]
    fn list_clusters(&self, group_id: &str, #[body] filter: &Job) -> Call<()>;
}

impl Things for Client {}

fn main() {}
