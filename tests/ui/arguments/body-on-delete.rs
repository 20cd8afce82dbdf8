use atlas_endpoints::{atlas_endpoint, Call, Client, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>")]
    fn delete_cluster(&self, group_id: &str, cluster_name: &str, #[body] job: &Job) -> Call<()>;
}

impl Things for Client {}

fn main() {}
