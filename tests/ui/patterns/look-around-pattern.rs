use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    // The runtime's `regex` has no look-around, so this pattern could never match.
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing>")]
    fn get_thing(&self, group_id: &str, #[path(pattern = "^(?!admin)[a-z]+$")] thing: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
