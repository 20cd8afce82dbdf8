use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>")]
    fn get_cluster(&self, group_id: &str) -> Call<()>;
}

impl Things for Client {}

fn main() {}
