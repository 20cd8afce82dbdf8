//! Serves the whole API offline until Ctrl-C: `cargo run -p atlas-endpoints-sandbox -- [--port <n>]`.
//!
//! It prints the base URL and the credentials it takes (its token, a demo API key for HTTP
//! Digest, a demo service account), so that curl, the `atlas` example or any Atlas client
//! pointed at `MONGODB_ATLAS_BASE_URL` can use it.

use std::process::ExitCode;

use atlas_endpoints_sandbox::{Sandbox, DEFAULT_CLUSTER, DEFAULT_GROUP_ID};

/// The demo API key (public, private) the binary accepts over HTTP Digest.
const DEMO_API_KEY: (&str, &str) = ("sandboxpub", "sandbox-private-key");
/// The demo service account (client id, secret) the binary issues access tokens to.
const DEMO_SERVICE_ACCOUNT: (&str, &str) =
    ("mdb_sa_id_000000000000000000000001", "mdb_sa_sk_sandbox");

#[tokio::main]
async fn main() -> ExitCode {
    let mut port = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().map(|v| v.parse::<u16>())) {
            ("--port", Some(Ok(value))) => port = value,
            _ => {
                eprintln!("usage: atlas-endpoints-sandbox [--port <0-65535>]");
                return ExitCode::from(2);
            }
        }
    }
    match serve(port).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sandbox: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(port: u16) -> std::io::Result<()> {
    let sandbox = Sandbox::builder()
        .port(port)
        .digest_key(DEMO_API_KEY.0, DEMO_API_KEY.1)
        .service_account(DEMO_SERVICE_ACCOUNT.0, DEMO_SERVICE_ACCOUNT.1)
        .start()
        .await?;
    println!("Atlas sandbox: every operation of the Administration API, offline");
    println!("base URL: {}", sandbox.base_url());
    println!("token: {}", sandbox.token());
    println!(
        "API key (Digest): public {} private {}",
        DEMO_API_KEY.0, DEMO_API_KEY.1
    );
    println!(
        "service account: client id {} secret {}",
        DEMO_SERVICE_ACCOUNT.0, DEMO_SERVICE_ACCOUNT.1
    );
    println!("Try:");
    println!(
        "  curl -H 'Authorization: Bearer {}' -H 'Accept: application/vnd.atlas.2024-08-05+json' \
         '{}/api/atlas/v2/groups/{DEFAULT_GROUP_ID}/clusters/{DEFAULT_CLUSTER}?pretty=true'",
        sandbox.token(),
        sandbox.base_url(),
    );
    println!(
        "  MONGODB_ATLAS_BASE_URL={} MONGODB_ATLAS_ACCESS_TOKEN={} \
         cargo run --example atlas --features full -- listGroupClusters --groupId {DEFAULT_GROUP_ID}",
        sandbox.base_url(),
        sandbox.token(),
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    println!("{} request(s) served; stopping.", sandbox.request_count());
    sandbox.shutdown().await;
    Ok(())
}
