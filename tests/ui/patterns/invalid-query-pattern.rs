use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/orgs/<org_id>/users")]
    fn users(&self, org_id: &str, #[query(pattern = "^([a-f0-9]{24}$")] user_id: Option<&str>) -> Call<()>;
}

impl Things for Client {}

fn main() {}
