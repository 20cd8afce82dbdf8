use atlas_endpoints::{atlas_endpoint, Call};

#[atlas_endpoint(GET, "/groups/<group_id>")]
pub fn get_group(_group_id: &str) -> Call<()> {
    unimplemented!()
}

fn main() {}
