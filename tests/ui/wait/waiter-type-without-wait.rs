use atlas_endpoints::models::{FlexBackupRestoreJob, FlexBackupRestoreJobCreate};
use atlas_endpoints::{atlas_endpoint, Call, Client, WaitFor};

pub trait Restores {
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs",
        version = "2024-11-13"
    )]
    fn create_restore_job(&self, group_id: &str, name: &str, #[body] body: &FlexBackupRestoreJobCreate)
        -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;
}

impl Restores for Client {}

fn main() {}
