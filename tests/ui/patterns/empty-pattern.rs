use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing_id>")]
    fn get_thing(&self, group_id: &str, #[path(pattern = "")] thing_id: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
