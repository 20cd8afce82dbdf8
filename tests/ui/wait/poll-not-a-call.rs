include!("../support/waits.rs");

pub trait Snapshots: Reads {
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>",
        wait(poll = get_snapshot, gone))]
    fn delete_snapshot(&self, group_id: &str, cluster_name: &str, snapshot_id: &str)
        -> Call<NoContent, WaitForGone<DiskBackupReplicaSet>>;
}

impl Snapshots for Client {}

fn main() {}
