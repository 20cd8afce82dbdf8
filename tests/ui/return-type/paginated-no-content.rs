use atlas_endpoints::{atlas_endpoint, Client, NoContent, Paginated};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/things", paginated)]
    fn list_things(&self, group_id: &str) -> Paginated<NoContent>;
}

impl Things for Client {}

fn main() {}
