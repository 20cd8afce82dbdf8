#![deny(deprecated)]

use atlas_endpoints::api::CloudBackups;
use atlas_endpoints::Client;

fn list(client: &Client) {
    let _listing = client.list_serverless_restore_jobs("32b6e34b3d91647abb20e7b8", "my-instance");
}

fn main() {}
