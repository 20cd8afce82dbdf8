include!("../support/waits.rs");

pub trait Restores {
    #[atlas_endpoint(GET, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs/<restore_job_id>", version = "2024-11-13",
        wait(poll = get_flex_restore_job(group_id, name, restore_job_id),
             state = status: FlexBackupRestoreJobStatus, pending = [Pending, Queued, Running], target = [Completed],
             timeout = "3 hours"))]
    fn get_flex_restore_job(&self, group_id: &str, name: &str, restore_job_id: &str)
        -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;
}

impl Restores for Client {}

fn main() {}
