use atlas_endpoints::models::DiskBackupReplicaSet;
use atlas_endpoints::{atlas_endpoint, Call, Client, NoContent, WaitForGone};

pub trait Snapshots {
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>",
        wait(poll = get_snapshot(group_id, cluster_name, snapshot_id), gone))]
    fn delete_snapshot(
        &self,
        group_id: &str,
        cluster_name: &str,
        snapshot_id: &str,
    ) -> Call<NoContent, WaitForGone<NoContent>>;

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
}

impl Snapshots for Client {}

fn main() {}
