use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/logs.gz", format = "gzip")]
    fn get_logs(&self, group_id: &str) -> Call<Vec<u8>>;
}

impl Things for Client {}

fn main() {}
