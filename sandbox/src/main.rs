//! Runs a sandbox with the default seed until Ctrl-C.

use atlas_endpoints_sandbox::{
    Sandbox, DEFAULT_FLEX_CLUSTER, DEFAULT_GROUP_ID, DEFAULT_INSTANCE, MEDIA_TYPE_2023_01_01,
    MEDIA_TYPE_2024_11_13,
};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let sandbox = Sandbox::start().await?;
    println!("Atlas sandbox listening");
    println!("  base URL: {}", sandbox.base_url());
    println!("  token:    {}", sandbox.token());
    println!("Try:");
    println!(
        "  curl -H 'Authorization: Bearer {}' -H 'Accept: {MEDIA_TYPE_2023_01_01}' \
         '{}/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/serverless/{DEFAULT_INSTANCE}/backup/restoreJobs?itemsPerPage=2&pretty=true'",
        sandbox.token(),
        sandbox.base_url(),
    );
    println!(
        "  curl -H 'Authorization: Bearer {}' -H 'Accept: {MEDIA_TYPE_2024_11_13}' \
         '{}/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/flexClusters/{DEFAULT_FLEX_CLUSTER}/backup/snapshots?pretty=true'",
        sandbox.token(),
        sandbox.base_url(),
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    println!("{} request(s) served; stopping.", sandbox.request_count());
    sandbox.shutdown().await;
    Ok(())
}
