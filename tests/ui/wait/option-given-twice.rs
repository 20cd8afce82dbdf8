use atlas_endpoints::models::{
    FlexBackupRestoreJob, FlexBackupRestoreJobCreate, FlexBackupRestoreJobStatus,
};
use atlas_endpoints::{atlas_endpoint, Call, Client, WaitFor};

pub trait Restores {
    #[atlas_endpoint(POST, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13",
        wait(poll = get_restore_job(group_id, name, response.id), poll = get_restore_job(group_id, name, response.id),
             state = status: FlexBackupRestoreJobStatus,
             pending = [Pending, Queued, Running], target = [Completed], failed = [Failed]))]
    fn create_restore_job(
        &self,
        group_id: &str,
        name: &str,
        #[body] body: &FlexBackupRestoreJobCreate,
    ) -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;

    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs/<restore_job_id>",
        version = "2024-11-13"
    )]
    fn get_restore_job(
        &self,
        group_id: &str,
        name: &str,
        restore_job_id: &str,
    ) -> Call<FlexBackupRestoreJob>;
}

impl Restores for Client {}

fn main() {}
