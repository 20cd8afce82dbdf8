use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    // Unicode case folding needs tables the runtime's `regex` is built without.
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing>")]
    fn get_thing(&self, group_id: &str, #[path(pattern = "^(?i)[a-z]+$")] thing: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
