use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>", sunset = "2026-02-30")]
    fn get_group(&self, group_id: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
