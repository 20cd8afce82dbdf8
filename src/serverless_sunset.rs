//! The serverless backup endpoints after their sunset: Atlas answers `410 VERSION_GONE` for
//! them since 2026-01-22, having migrated every serverless instance to a Flex cluster of the
//! same name, whose restore jobs the Flex endpoints list.

use crate::api::{CloudBackups, FlexRestoreJobs};
use crate::{FlexBackupRestoreJob, Paginated, Result, ServerlessBackupRestoreJob};

/// The listing of one instance's restore jobs, from whichever endpoint still serves them.
#[derive(Debug)]
pub enum RestoreJobs {
    /// The serverless endpoint answered: the instance is listed as a serverless instance.
    Serverless(Paginated<ServerlessBackupRestoreJob>),
    /// The serverless endpoint is gone (`410 VERSION_GONE`): the listing of the Flex cluster
    /// of the same name, which Atlas migrated the instance to.
    Flex(Paginated<FlexBackupRestoreJob>),
}

/// The restore jobs of serverless instance `name`: asks the serverless listing for its first
/// item and, when Atlas answers `410 VERSION_GONE`, returns the Flex listing of the cluster of
/// the same name instead; otherwise the serverless listing, from its first page.
///
/// It costs one small request (`itemsPerPage=1`) before the listing itself; any error but
/// `VERSION_GONE` is returned as it is. Whether the Flex cluster exists is for the listing to
/// say (`404` when it does not).
///
/// ```no_run
/// # async fn run(client: atlas_endpoints::Client) -> atlas_endpoints::Result<()> {
/// use atlas_endpoints::serverless_sunset::{restore_jobs, RestoreJobs};
///
/// match restore_jobs(&client, "32b6e34b3d91647abb20e7b8", "my-instance").await? {
///     RestoreJobs::Serverless(listing) => println!("{}", listing.collect_all().await?.len()),
///     RestoreJobs::Flex(listing) => println!("{} (as Flex)", listing.collect_all().await?.len()),
/// }
/// # Ok(()) }
/// ```
pub async fn restore_jobs<C>(client: &C, group_id: &str, name: &str) -> Result<RestoreJobs>
where
    C: CloudBackups + FlexRestoreJobs,
{
    #[allow(deprecated)]
    let probe = client
        .list_serverless_restore_jobs(group_id, name)
        .items_per_page(1)
        .await;
    match probe {
        Ok(_) => {
            #[allow(deprecated)]
            let listing = client.list_serverless_restore_jobs(group_id, name);
            Ok(RestoreJobs::Serverless(listing))
        }
        Err(error) if error.is_version_gone() => Ok(RestoreJobs::Flex(
            client.list_flex_restore_jobs(group_id, name),
        )),
        Err(error) => Err(error),
    }
}
