use atlas_endpoints::{atlas_endpoint, Call, Client, Download};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/logs", format = "xml")]
    fn get_logs(&self, group_id: &str) -> Call<Download>;
}

impl Things for Client {}

fn main() {}
