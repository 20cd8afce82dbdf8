use atlas_endpoints::{atlas_endpoint, Call, Client};

pub struct Filter {
    pub event_type: Option<String>,
}

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/events")]
    fn events(&self, group_id: &str, #[query(flatten)] filter: &Filter) -> Call<()>;
}

impl Things for Client {}

fn main() {}
