use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/v<group_id>")]
    fn get_group(&self, group_id: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
