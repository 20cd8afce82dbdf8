include!("../support/waits.rs");

pub trait Restores {
    /// A read that waits on itself polls with its own call, so with its own arguments.
    #[atlas_endpoint(GET, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs/<restore_job_id>", version = "2024-11-13",
        wait(poll = get_restore_job(group_id, name, "32b6e34b3d91647abb20e7b8"),
             state = status: FlexBackupRestoreJobStatus,
             pending = [Pending, Queued, Running], target = [Completed], failed = [Failed]))]
    fn get_restore_job(&self, group_id: &str, name: &str, restore_job_id: &str)
        -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;
}

impl Restores for Client {}

fn main() {}
