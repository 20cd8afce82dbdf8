include!("../support/waits.rs");

use atlas_endpoints::Paginated;

pub trait Restores: Reads {
    #[atlas_endpoint(GET, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13",
        paginated,
        wait(poll = get_restore_job(group_id, name, "32b6e34b3d91647abb20e7b8"),
             state = status: FlexBackupRestoreJobStatus,
             pending = [Pending, Queued, Running], target = [Completed], failed = [Failed]))]
    fn list_restore_jobs(&self, group_id: &str, name: &str) -> Paginated<FlexBackupRestoreJob>;
}

impl Restores for Client {}

fn main() {}
