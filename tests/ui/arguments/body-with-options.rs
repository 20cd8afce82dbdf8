use atlas_endpoints::{atlas_endpoint, Call, Client, ServerlessBackupRestoreJob as Job};

pub trait Things {
    #[atlas_endpoint(POST, "/groups/<group_id>/restoreJobs")]
    fn create_restore_job(&self, group_id: &str, #[body(rename = "job")] job: &Job) -> Call<Job>;
}

impl Things for Client {}

fn main() {}
