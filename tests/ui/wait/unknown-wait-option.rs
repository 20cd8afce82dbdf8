include!("../support/waits.rs");

pub trait Snapshots {
    /// A read that waits on itself.
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>",
        wait(poll = snapshot(group_id, cluster_name, snapshot_id),
             state = status: DiskBackupReplicaSetStatus, pending = [Queued, InProgress], target = [Completed],
             intervall = "5s"))]
    fn snapshot(&self, group_id: &str, cluster_name: &str, snapshot_id: &str)
        -> Call<DiskBackupReplicaSet, WaitFor<DiskBackupReplicaSet>>;
}

impl Snapshots for Client {}

fn main() {}
