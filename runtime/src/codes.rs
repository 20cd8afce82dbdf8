//! The application error codes (`errorCode`) of Atlas that programs branch on, as constants,
//! so a misspelt code is a compile error rather than a branch never taken.
//!
//! Atlas has hundreds of codes and adds more; [`Error::is_error_code`](crate::Error::is_error_code)
//! takes any of them. These are the ones the official tools (the Terraform provider, the
//! Kubernetes operator, the Atlas CLI) test for, with when Atlas sends them.

/// `409`: a cluster of that name exists in the project. What a create sent again after a lost
/// answer meets when the first one went through.
pub const DUPLICATE_CLUSTER_NAME: &str = "DUPLICATE_CLUSTER_NAME";

/// `409`: a project of that name exists in the organization. What `createGroup` sent again
/// after a lost answer meets when the first one went through.
pub const GROUP_ALREADY_EXISTS: &str = "GROUP_ALREADY_EXISTS";

/// `409`: the cluster is paused; an unpause must be a request of its own, before any other
/// change.
pub const CANNOT_UPDATE_PAUSED_CLUSTER: &str = "CANNOT_UPDATE_PAUSED_CLUSTER";

/// `400`: the cluster is a Flex cluster; use the Flex endpoints.
pub const CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API: &str = "CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API";

/// `400`: the cluster is not a Flex cluster; use the cluster endpoints.
pub const CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API: &str = "CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API";

/// `404`: no cluster of that name in the project.
pub const CLUSTER_NOT_FOUND: &str = "CLUSTER_NOT_FOUND";

/// `404`: no project with that id.
pub const GROUP_NOT_FOUND: &str = "GROUP_NOT_FOUND";

/// `404`: the resource does not exist (the spec's generic not-found code).
pub const RESOURCE_NOT_FOUND: &str = "RESOURCE_NOT_FOUND";

/// `409`: a project cannot be deleted while it has active clusters.
pub const CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS: &str =
    "CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS";

/// `409`: a team cannot be deleted while it is assigned to a project.
pub const CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT: &str = "CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT";

/// `410`: the endpoint's version has passed its sunset date
/// ([`Error::is_version_gone`](crate::Error::is_version_gone)).
pub const VERSION_GONE: &str = "VERSION_GONE";

/// `429`: too many requests; the answer carries `Retry-After`.
pub const RATE_LIMITED: &str = "RATE_LIMITED";

/// The codes with which Atlas refuses a create because what it would create exists already:
/// [`Error::is_already_exists`](crate::Error::is_already_exists) tests for them.
pub const ALREADY_EXISTS: &[&str] = &[DUPLICATE_CLUSTER_NAME, GROUP_ALREADY_EXISTS];
