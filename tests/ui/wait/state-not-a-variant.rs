include!("../support/waits.rs");

pub trait Snapshots: Reads {
    #[atlas_endpoint(POST, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots",
        wait(poll = get_snapshot(group_id, cluster_name, snapshot_id(response)),
             state = status: DiskBackupReplicaSetStatus,
             pending = [Queued, InProgress], target = [Complete], failed = [Failed]))]
    fn take_snapshot(&self, group_id: &str, cluster_name: &str, #[body] body: &DiskBackupOnDemandSnapshotRequest)
        -> Call<DiskBackupSnapshot, WaitFor<DiskBackupReplicaSet>>;
}

impl Snapshots for Client {}

fn main() {}
