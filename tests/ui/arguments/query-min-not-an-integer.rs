use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/things")]
    fn list_things(&self, group_id: &str, #[query(min = -1)] n_logs: Option<u32>) -> Call<()>;
}

impl Things for Client {}

fn main() {}
