include!("../support/waits.rs");

pub trait Snapshots: Reads {
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>",
        wait(poll = get_snapshot(group_id, cluster_name, snapshot_id), gone, timeout = "1h"))]
    fn delete_snapshot(&self, group_id: &str, cluster_name: &str, snapshot_id: &str)
        -> Call<NoContent, WaitFor<DiskBackupReplicaSet>>;
}

impl Snapshots for Client {}

fn main() {}
