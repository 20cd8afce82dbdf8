use atlas_endpoints::{atlas_endpoint, Call, Client, QueryParam, QueryParams};

#[derive(Default)]
pub struct Filter;

impl QueryParams for Filter {
    const PARAMS: &'static [QueryParam] = &[];
    fn append_query_params(&self, _: &mut Vec<(&'static str, String)>) {}
}

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/events")]
    fn events(&self, group_id: &str, #[query(flatten, rename = "filter")] filter: &Filter) -> Call<()>;
}

impl Things for Client {}

fn main() {}
