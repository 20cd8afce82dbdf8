// Waiters declared by hand: a create that polls with a value of its answer, a create that
// polls with a field of its body, a delete that waits until the resource is gone, and
// states read by a function, as a `String` or from a path of fields.
#![deny(warnings)]

include!("../support/waits.rs");

/// A model of one's own: its state is a string, one level down.
#[derive(serde::Deserialize)]
pub struct Deployment {
    #[serde(default)]
    pub progress: Progress,
}

#[derive(Default, serde::Deserialize)]
pub struct Progress {
    pub phase: Option<String>,
}

/// Its waits poll its own reads and, through the supertrait, the shared `Reads`.
pub trait Waits: Reads {
    #[atlas_endpoint(POST, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13",
        wait(poll = get_restore_job(group_id, name, response.id),
             state = status: FlexBackupRestoreJobStatus,
             pending = [Pending, Queued, Running], target = [Completed], failed = [Failed],
             timeout = "1h", delay = "5s", poll_interval = "10s"))]
    fn create_flex_restore_job(
        &self,
        group_id: &str,
        name: &str,
        #[body] body: &FlexBackupRestoreJobCreate,
    ) -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;

    /// The same create, its state read as text by a function, with no `failed` states.
    #[atlas_endpoint(POST, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13",
        wait(poll = get_restore_job(group_id, name, &response.id),
             state_fn = status_text: String,
             pending = ["PENDING", "QUEUED", "RUNNING"], target = ["COMPLETED"]))]
    fn create_flex_restore_job_text(
        &self,
        group_id: &str,
        name: &str,
        #[body] body: &FlexBackupRestoreJobCreate,
    ) -> Call<FlexBackupRestoreJob, WaitFor<FlexBackupRestoreJob>>;

    /// A state spelled over several fields, read by the facade's function.
    #[atlas_endpoint(POST, "/groups/<group_id>/clusters/<cluster_name>/backup/restoreJobs",
        wait(poll = get_backup_restore_job(group_id, cluster_name, response.id),
             state_fn = restore_job_state: RestoreJobState,
             pending = [Pending], target = [Finished], failed = [Failed, Cancelled, Expired]))]
    fn create_backup_restore_job(
        &self,
        group_id: &str,
        cluster_name: &str,
        #[body] body: &DiskBackupSnapshotRestoreJobRequest,
    ) -> Call<DiskBackupSnapshotRestoreJob, WaitFor<DiskBackupSnapshotRestoreJob>>;

    /// Gone, without a state: every answer until the `404` is pending.
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>",
        wait(poll = get_snapshot(group_id, cluster_name, snapshot_id), gone, timeout = "1h30m"))]
    fn delete_snapshot(
        &self,
        group_id: &str,
        cluster_name: &str,
        snapshot_id: &str,
    ) -> Call<NoContent, WaitForGone<DiskBackupReplicaSet>>;

    /// Gone, with the states it may pass through and one that stops the wait.
    #[atlas_endpoint(DELETE, "/groups/<group_id>/clusters/<cluster_name>/backup/snapshots/<snapshot_id>:purge",
        wait(poll = get_snapshot(group_id, cluster_name, snapshot_id), gone,
             state = status: DiskBackupReplicaSetStatus, pending = [Completed, Queued, InProgress], failed = [Failed],
             delay = "500ms"))]
    fn purge_snapshot(
        &self,
        group_id: &str,
        cluster_name: &str,
        snapshot_id: &str,
    ) -> Call<NoContent, WaitForGone<DiskBackupReplicaSet>>;

    /// A body's field as the poll's argument, and a state one level down.
    #[atlas_endpoint(POST, "/groups/<group_id>/deployments",
        wait(poll = get_deployment(group_id, &body.name),
             state = progress.phase: String, pending = ["CREATING"], target = ["READY"], failed = ["ERROR"]))]
    fn create_deployment(
        &self,
        group_id: &str,
        #[body] body: &NewDeployment,
    ) -> Call<Deployment, WaitFor<Deployment>>;

    #[atlas_endpoint(GET, "/groups/<group_id>/deployments/<name>")]
    fn get_deployment(&self, group_id: &str, name: &str) -> Call<Deployment>;
}

#[derive(serde::Serialize)]
pub struct NewDeployment {
    pub name: String,
}

impl Waits for Client {}

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn main() {
    let client = Client::builder().bearer_token("token").build().unwrap();

    let job = FlexBackupRestoreJobCreate::new(GROUP.to_owned(), "flex-1".to_owned());
    let call = client.create_flex_restore_job(GROUP, "flex-0", &job);
    assert_eq!(
        call.endpoint().unwrap().rust_name(),
        "create_flex_restore_job"
    );
    let wait = format!("{:?}", call.wait());
    assert!(wait.contains("get_restore_job"), "{wait}");
    let _ = client
        .create_flex_restore_job_text(GROUP, "flex-0", &job)
        .wait();

    let request: DiskBackupSnapshotRestoreJobRequest =
        serde_json::from_value(serde_json::json!({"deliveryType": "automated"})).unwrap();
    let wait = format!(
        "{:?}",
        client
            .create_backup_restore_job(GROUP, "c0", &request)
            .wait()
    );
    assert!(wait.contains("get_backup_restore_job"), "{wait}");

    let call = client.delete_snapshot(GROUP, "c0", GROUP);
    let wait = format!("{:?}", call.wait());
    assert!(wait.contains("get_snapshot"), "{wait}");
    let _ = client.purge_snapshot(GROUP, "c0", GROUP).wait();

    let body = NewDeployment {
        name: "d0".to_owned(),
    };
    let call = client.create_deployment(GROUP, &body);
    let url = call.inspect().unwrap().url().to_string();
    assert!(
        url.ends_with("/groups/32b6e34b3d91647abb20e7b8/deployments"),
        "{url}"
    );
    let _ = call.wait();

    // A waiter can be set aside: the call is then a plain `Call<T>`.
    let plain: Call<FlexBackupRestoreJob> = client
        .create_flex_restore_job(GROUP, "flex-0", &job)
        .without_wait();
    assert!(plain.endpoint().unwrap().has_body());
}
