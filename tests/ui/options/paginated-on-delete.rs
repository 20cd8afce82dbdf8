use atlas_endpoints::{atlas_endpoint, Call, Client, Page, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters", paginated)]
    fn delete_clusters(&self, group_id: &str) -> Call<Page<Job>>;
}

impl Things for Client {}

fn main() {}
