//! An application can implement an endpoint trait on a test double of its own.

use atlas_endpoints::prelude::*;
use atlas_endpoints::{AtlasClient, Client, DeliveryType, Paginated, ServerlessBackupRestoreJob};

/// Code under test: generic over anything that serves the endpoint.
async fn count_download_jobs(api: &impl CloudBackups, group: &str, name: &str) -> usize {
    #[allow(deprecated)]
    let jobs = api
        .list_serverless_restore_jobs(group, name)
        .collect_all()
        .await
        .unwrap();
    jobs.iter()
        .filter(|job| job.delivery_type == DeliveryType::Download)
        .count()
}

struct FakeBackups {
    // Never used to send: every endpoint method this fake needs is overridden.
    unused: Client,
    jobs: Vec<ServerlessBackupRestoreJob>,
}

impl AtlasClient for FakeBackups {
    fn atlas_client(&self) -> &Client {
        &self.unused
    }
}

impl CloudBackups for FakeBackups {
    fn list_serverless_restore_jobs(
        &self,
        _group_id: &str,
        _cluster_name: &str,
    ) -> Paginated<ServerlessBackupRestoreJob> {
        Paginated::from_items(self.jobs.clone())
    }
}

fn job(delivery_type: DeliveryType) -> ServerlessBackupRestoreJob {
    serde_json::from_value(serde_json::json!({
        "deliveryType": delivery_type.as_str(),
        "targetClusterName": "target",
        "targetGroupId": "32b6e34b3d91647abb20e7b8",
    }))
    .unwrap()
}

#[tokio::test]
async fn a_fake_serves_the_trait_without_any_network() {
    let fake = FakeBackups {
        // An address nothing listens on: a request sent by mistake would fail the test.
        unused: Client::builder()
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap(),
        jobs: (0..250)
            .map(|i| {
                job(if i % 5 == 0 {
                    DeliveryType::Download
                } else {
                    DeliveryType::Automated
                })
            })
            .collect(),
    };

    assert_eq!(count_download_jobs(&fake, "any", "thing").await, 50);

    #[allow(deprecated)]
    let second_page = fake
        .list_serverless_restore_jobs("any", "thing")
        .items_per_page(100)
        .page_num(3)
        .await
        .unwrap();
    assert_eq!(second_page.results().len(), 50);
    assert_eq!(second_page.total_count(), Some(250));
}
