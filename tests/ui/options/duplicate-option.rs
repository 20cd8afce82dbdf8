use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>", version = "2023-01-01", version = "2024-11-13")]
    fn get_group(&self, group_id: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
