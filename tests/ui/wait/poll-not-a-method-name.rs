include!("../support/waits.rs");

pub trait Snapshots: Reads {
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>:purge",
        wait(poll = Self::get_snapshot(group_id, cluster_name, snapshot_id), gone,
             state = status: DiskBackupReplicaSetStatus, pending = [Queued, InProgress, Completed]))]
    fn purge_snapshot(&self, group_id: &str, cluster_name: &str, snapshot_id: &str)
        -> Call<NoContent, WaitForGone<DiskBackupReplicaSet>>;
}

impl Snapshots for Client {}

fn main() {}
