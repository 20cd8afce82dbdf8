use atlas_endpoints::atlas_endpoint;

#[atlas_endpoint(GET, "/groups/<group_id>")]
pub struct Group {
    pub id: String,
}

fn main() {}
