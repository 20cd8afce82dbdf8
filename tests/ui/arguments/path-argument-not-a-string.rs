use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<index>")]
    fn get_thing(&self, group_id: &str, index: u32) -> Call<()>;
}

impl Things for Client {}

fn main() {}
