include!("../support/waits.rs");

pub trait Restores {
    /// A read that waits on itself, its state spelled over several fields.
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>/backup/restoreJobs/<restore_job_id>",
        wait(poll = backup_restore_job(group_id, cluster_name, restore_job_id),
             state_fn = restore_job_state: RestoreJobState, pending = [Pending], target = [Finished],
             timeout = "3h", timeout = "1h"))]
    fn backup_restore_job(&self, group_id: &str, cluster_name: &str, restore_job_id: &str)
        -> Call<DiskBackupSnapshotRestoreJob, WaitFor<DiskBackupSnapshotRestoreJob>>;
}

impl Restores for Client {}

fn main() {}
