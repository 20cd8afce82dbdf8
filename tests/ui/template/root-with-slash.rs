use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Status {
    #[atlas_endpoint(GET, "/", operation_id = "getSystemStatus")]
    fn get_system_status(&self) -> Call<serde_json::Value>;
}

impl Status for Client {}

fn main() {}
