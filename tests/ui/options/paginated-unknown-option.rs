use atlas_endpoints::{atlas_endpoint, Client, Paginated, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters", paginated(count = false))]
    fn list_clusters(&self, group_id: &str) -> Paginated<Job>;
}

impl Things for Client {}

fn main() {}
