include!("../support/waits.rs");

pub trait Restores {
    /// A read that waits on itself, its state read as text by a function.
    #[atlas_endpoint(GET, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs/<restore_job_id>", version = "2024-11-13",
        wait(poll = get_flex_restore_job(group_id, name, restore_job_id),
             state_fn = status_text: String, pending = [Pending, Queued, Running], target = [Completed]))]
    fn get_flex_restore_job(&self, group_id: &str, name: &str, restore_job_id: &str)
        -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;
}

impl Restores for Client {}

fn main() {}
