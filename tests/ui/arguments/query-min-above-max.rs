use atlas_endpoints::{atlas_endpoint, Call, Client};

pub trait Things {
    #[atlas_endpoint(GET, "/orgs/<org_id>/associatedInvoices")]
    fn invoices(&self, org_id: &str, #[query(min = 12, max = 1)] month: Option<u32>) -> Call<()>;
}

impl Things for Client {}

fn main() {}
