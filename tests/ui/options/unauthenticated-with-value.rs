use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Network {
    #[atlas_endpoint(GET, "/unauth/controlPlaneIPAddresses", unauthenticated = true)]
    fn list_control_plane_ip_addresses(&self) -> Call<serde_json::Value>;
}

impl Network for Client {}

fn main() {}
