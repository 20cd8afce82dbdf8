include!("../support/waits.rs");

pub trait Restores: Reads {
    #[atlas_endpoint(POST, "/groups/<group_id>/clusters/<cluster_name>/backup/restoreJobs",
        wait(poll = get_backup_restore_job(group_id, cluster_name, response.id),
             state_fn = restore_job_state: RestoreJobState,
             pending = [Pending], target = [Finished], failed = [Failed, Cancelled, Expired]))]
    fn create_restore_job(&self, group_id: &str, cluster_name: &str, #[body] body: &DiskBackupSnapshotRestoreJobRequest)
        -> Call<DiskBackupSnapshotRestoreJob>;
}

impl Restores for Client {}

fn main() {}
