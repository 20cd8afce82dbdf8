use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/integrations/<integration_type>")]
    fn integration(
        &self,
        group_id: &str,
        #[path(one_of("SLACK", "WEBHOOK", "SLACK"))] integration_type: &str,
    ) -> Call<()>;
}

impl Things for Client {}

fn main() {}
