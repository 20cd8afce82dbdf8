use atlas_endpoints::{atlas_endpoint, Call, Client};

#[atlas_endpoint(GET, "/groups/<group_id>")]
pub trait Groups {
    fn get_group(&self, group_id: &str) -> Call<()>;
}

impl Groups for Client {
    fn get_group(&self, _group_id: &str) -> Call<()> {
        unimplemented!()
    }
}

fn main() {}
