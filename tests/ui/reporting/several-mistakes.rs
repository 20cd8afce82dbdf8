use atlas_endpoints::{atlas_endpoint, Call, Client, Paginated, ServerlessBackupRestoreJob as Job};

pub trait Things {
    /// Every mistake is reported at once, and the method is still declared.
    #[atlas_endpoint(POST, "groups/<group_id>/things/<Thing>", paginated, version = "2023-1-1", colour = "red")]
    fn create_thing(&mut self, group_id: &str, stray: &str, #[query] #[body] job: &Job) -> Paginated<Job>;

    /// A valid endpoint next to the broken one keeps working.
    #[atlas_endpoint(GET, "/groups/<group_id>/things")]
    fn list_things(&self, group_id: &str, #[query] include_deleted: Option<bool>) -> Call<Job>;
}

impl Things for Client {}

pub fn callers(client: &mut Client, job: &Job) {
    let _ = client.list_things("32b6e34b3d91647abb20e7b8", Some(true));
    let _ = client.create_thing("32b6e34b3d91647abb20e7b8", "x", job);
}

fn main() {}
