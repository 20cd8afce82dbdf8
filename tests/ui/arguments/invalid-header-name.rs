use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Clusters {
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters")]
    fn list_clusters(
        &self,
        group_id: &str,
        #[header(rename = "Use Effective Instance Fields")] effective: Option<bool>,
    ) -> Call<serde_json::Value>;
}

impl Clusters for Client {}

fn main() {}
