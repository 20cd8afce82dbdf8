//! What the waiters read where one field does not say it (issue 14): the state of a restore
//! job, spelled over four fields, and the id and state of answers that are unions of models
//! (a snapshot, a search index, a private endpoint service), each kind with its own field.

#[cfg(feature = "cloud-backups")]
use crate::models::DiskBackupSnapshotRestoreJob;
use crate::open_enum::open_enum;

open_enum! {
    /// Where a restore job of a cluster's cloud backup is, read from its `finishedAt`,
    /// `failed`, `cancelled` and `expired` fields ([`restore_job_state`]); these are the
    /// waiter's names, not Atlas's: the spec gives a restore job no state field.
    pub enum RestoreJobState {
        /// Not finished yet.
        Pending = "PENDING",
        /// Finished (`finishedAt` is set).
        Finished = "FINISHED",
        /// `failed` is true.
        Failed = "FAILED",
        /// `cancelled` is true.
        Cancelled = "CANCELLED",
        /// `expired` is true.
        Expired = "EXPIRED",
    }
}

/// The state of a restore job, as its waiter reads it: a failure, a cancellation or an
/// expiry wins over `finishedAt`.
///
/// ```
/// # #[cfg(feature = "cloud-backups")] {
/// use atlas_endpoints::models::DiskBackupSnapshotRestoreJob;
/// use atlas_endpoints::waiting::{restore_job_state, RestoreJobState};
///
/// let job: DiskBackupSnapshotRestoreJob =
///     serde_json::from_str(r#"{"deliveryType": "automated", "failed": true}"#).unwrap();
/// assert_eq!(restore_job_state(&job), Some(RestoreJobState::Failed));
/// # }
/// ```
#[cfg(feature = "cloud-backups")]
pub fn restore_job_state(job: &DiskBackupSnapshotRestoreJob) -> Option<RestoreJobState> {
    let state = if job.failed == Some(true) {
        RestoreJobState::Failed
    } else if job.cancelled == Some(true) {
        RestoreJobState::Cancelled
    } else if job.expired == Some(true) {
        RestoreJobState::Expired
    } else if job.finished_at.is_some() {
        RestoreJobState::Finished
    } else {
        RestoreJobState::Pending
    };
    Some(state)
}

/// A function reading one field of every kind of a union answer: a text field (an id) as
/// `&str`, or a state as the enum of the first kind (the kinds share their values). An
/// unknown kind is read from its JSON by the field's wire name.
macro_rules! union_field {
    (
        $(#[$doc:meta])* $feature:literal
        fn $name:ident($union:ident) -> $field:ident as $wire:literal: &str { $($kind:ident),+ }
    ) => {
        $(#[$doc])*
        #[cfg(feature = $feature)]
        pub fn $name(answer: &crate::models::$union) -> Option<&str> {
            match answer {
                $(crate::models::$union::$kind(kind) => kind.$field.as_deref(),)+
                crate::models::$union::Unknown(json) => {
                    json.get($wire).and_then(serde_json::Value::as_str)
                }
            }
        }
    };
    (
        $(#[$doc:meta])* $feature:literal
        fn $name:ident($union:ident) -> $field:ident as $wire:literal: $state:ident { $($kind:ident),+ }
    ) => {
        $(#[$doc])*
        #[cfg(feature = $feature)]
        pub fn $name(answer: &crate::models::$union) -> Option<crate::models::$state> {
            let text = match answer {
                $(crate::models::$union::$kind(kind) => kind.$field.as_ref().map(AsRef::<str>::as_ref),)+
                crate::models::$union::Unknown(json) => {
                    json.get($wire).and_then(serde_json::Value::as_str)
                }
            };
            text.map(crate::models::$state::from)
        }
    };
}

union_field! {
    /// The id of a snapshot `takeGroupClusterBackupSnapshots` answers, whichever its kind.
    "cloud-backups"
    fn snapshot_id(DiskBackupSnapshot) -> id as "id": &str {
        DiskBackupReplicaSet, DiskBackupShardedClusterSnapshot
    }
}

union_field! {
    /// The id of a search index, whichever its kind (`search` or `vectorSearch`).
    "atlas-search"
    fn search_index_id(SearchIndexResponse) -> index_id as "indexID": &str {
        TextSearchIndexResponse, VectorSearchIndexResponse
    }
}

union_field! {
    /// The status of a search index, whichever its kind.
    "atlas-search"
    fn search_index_status(SearchIndexResponse) -> status as "status": TextSearchIndexResponseStatus {
        TextSearchIndexResponse, VectorSearchIndexResponse
    }
}

union_field! {
    /// The id of a private endpoint service, whichever its cloud provider.
    "private-endpoint-services"
    fn endpoint_service_id(EndpointService) -> id as "id": &str {
        AwsPrivateLinkConnection, AzurePrivateLinkConnection, GcpEndpointService
    }
}

union_field! {
    /// The status of a private endpoint service, whichever its cloud provider.
    "private-endpoint-services"
    fn endpoint_service_status(EndpointService) -> status as "status": AwsPrivateLinkConnectionStatus {
        AwsPrivateLinkConnection, AzurePrivateLinkConnection, GcpEndpointService
    }
}
