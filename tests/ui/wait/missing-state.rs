include!("../support/waits.rs");

pub trait Restores: Reads {
    #[atlas_endpoint(POST, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13",
        wait(poll = get_restore_job(group_id, name, response.id),
             delay = "5s",
             pending = [Pending, Queued, Running], target = [Completed], failed = [Failed]))]
    fn create_restore_job(&self, group_id: &str, name: &str, #[body] body: &FlexBackupRestoreJobCreate)
        -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;
}

impl Restores for Client {}

fn main() {}
