// What the `wait/` cases and `pass/waits.rs` share, declared once: the names they use, the
// reads they poll and a state function; each includes it (`include!`). A case's trait takes
// `Reads` as its supertrait, so its `poll = get_restore_job(...)` finds the method on `self`
// as it would in the case's own trait, and the case holds nothing but the endpoint it gets
// wrong.

// Not every file uses every name.
#[allow(unused_imports)]
use atlas_endpoints::models::{
    DiskBackupOnDemandSnapshotRequest, DiskBackupReplicaSet, DiskBackupReplicaSetStatus,
    DiskBackupSnapshot, DiskBackupSnapshotRestoreJob, DiskBackupSnapshotRestoreJobRequest,
    FlexBackupRestoreJob, FlexBackupRestoreJobCreate, FlexBackupRestoreJobStatus,
};
#[allow(unused_imports)]
use atlas_endpoints::waiting::{restore_job_state, snapshot_id, RestoreJobState};
#[allow(unused_imports)]
use atlas_endpoints::{atlas_endpoint, Call, Client, NoContent, WaitFor, WaitForGone};

pub trait Reads {
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

    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>"
    )]
    fn get_snapshot(
        &self,
        group_id: &str,
        cluster_name: &str,
        snapshot_id: &str,
    ) -> Call<DiskBackupReplicaSet>;

    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/clusters/<cluster_name>/backup/restoreJobs/<restore_job_id>"
    )]
    fn get_backup_restore_job(
        &self,
        group_id: &str,
        cluster_name: &str,
        restore_job_id: &str,
    ) -> Call<DiskBackupSnapshotRestoreJob>;
}

impl Reads for Client {}

/// The state of a restore job as text, for a `String` state read by a function.
pub fn status_text(job: &FlexBackupRestoreJob) -> Option<String> {
    job.status
        .as_ref()
        .map(|status| AsRef::<str>::as_ref(status).to_owned())
}
