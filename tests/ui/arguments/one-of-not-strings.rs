use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/mongoDBVersions")]
    fn versions(&self, group_id: &str, #[query(one_of(AWS, GCP))] cloud_provider: Option<&str>) -> Call<()>;
}

impl Things for Client {}

fn main() {}
