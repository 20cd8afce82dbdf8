use atlas_endpoints::models::{FlexBackupRestoreJob, FlexBackupRestoreJobStatus};
use atlas_endpoints::{atlas_endpoint, Call, Client, Paginated};

pub trait Restores {
    #[atlas_endpoint(GET, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13",
        paginated,
        wait(poll = get_restore_job(group_id, name, "32b6e34b3d91647abb20e7b8"),
             state = status: FlexBackupRestoreJobStatus,
             pending = [Pending, Queued, Running], target = [Completed], failed = [Failed]))]
    fn list_restore_jobs(&self, group_id: &str, name: &str) -> Paginated<FlexBackupRestoreJob>;

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
