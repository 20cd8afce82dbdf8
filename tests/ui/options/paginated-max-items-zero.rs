use atlas_endpoints::{atlas_endpoint, Client, Paginated, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters", paginated(max_items_per_page = 0))]
    fn list_clusters(&self, group_id: &str) -> Paginated<Job>;
}

impl Things for Client {}

fn main() {}
