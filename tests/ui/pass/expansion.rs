// What the attribute records, as the runtime sees it, for every kind of argument.
#![deny(warnings)]

use atlas_endpoints::{atlas_endpoint, Call, Client, CommonParams, Method, Paginated, Segment};
use atlas_endpoints::ServerlessBackupRestoreJob as Job;

#[derive(serde::Serialize)]
pub struct NewThing {
    pub name: String,
}

pub trait Things {
    /// Doc comments stay on the method.
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing>",
        operation_id = "getGroupThing", deprecated = "use get_widget")]
    fn get_thing(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-z]+$", rename = "thingName")] thing: &str,
        #[query] include_deleted: Option<bool>,
        #[allow(unused_variables)]
        #[query(rename = "x-Flag")]
        flag: bool,
    ) -> Call<()>;

    #[atlas_endpoint(POST, "/groups/<group_id>/flexClusters/<name>/backup/restoreJobs", version = "2024-11-13")]
    fn create_by_ref(&self, #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str, #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] name: &str, #[body] job: &NewThing) -> Call<()>;

    #[atlas_endpoint(PATCH, "/orgs/<org_id>/things/<type>", version = "preview")]
    fn update_by_value(&self, #[path(pattern = "^([a-f0-9]{24})$")] org_id: String, r#type: &str, #[query] r#async: bool, #[body] thing: NewThing) -> Call<()>;

    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>/things", paginated)]
    fn list_things<'a>(&'a self, #[path(pattern = "^([a-f0-9]{24})$")] group_id: &'a str, #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str) -> Paginated<Job>;

    #[atlas_endpoint(GET, "")]
    fn root(&self) -> Call<()>;

    #[atlas_endpoint(POST, "/groups/<group_id>/clusters/<cluster_name>:pin", unauthenticated)]
    fn pin(&self, group_id: &str, cluster_name: &str, #[header] use_effective_fields: Option<bool>, #[body] body: Option<&NewThing>) -> Call<()>;

    #[atlas_endpoint(GET, "/groups/<group_id>/plain", common())]
    fn plain(&self, #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str) -> Call<()>;

    #[atlas_endpoint(GET, "/groups/<group_id>/pretty", paginated, common(pretty), operation_id = "listPretty")]
    fn pretty_only(&self, #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str) -> Paginated<Job>;
}

impl Things for Client {}

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn main() {
    let client = Client::builder().bearer_token("token").build().unwrap();

    #[allow(deprecated)]
    let call = client.get_thing(GROUP, "abc", Some(true), false);
    let endpoint = call.endpoint().unwrap();
    assert_eq!(endpoint.rust_name(), "get_thing");
    assert_eq!(endpoint.operation_id(), Some("getGroupThing"));
    assert_eq!(endpoint.method(), Method::Get);
    assert_eq!(endpoint.template(), "/groups/<group_id>/things/<thing>");
    assert_eq!(
        endpoint.segments(),
        [
            Segment::Literal("/groups/"),
            Segment::Param(0),
            Segment::Literal("/things/"),
            Segment::Param(1),
        ]
    );
    assert_eq!(endpoint.spec_template(), "/groups/{groupId}/things/{thingName}");
    assert_eq!(endpoint.path_params()[0].pattern().unwrap().source(), "^([a-f0-9]{24})$");
    assert_eq!(endpoint.path_params()[1].pattern().unwrap().source(), "^[a-z]+$");
    assert_eq!(endpoint.query_params()[0].wire_name(), "includeDeleted");
    assert_eq!(endpoint.query_params()[1].name(), "flag");
    assert_eq!(endpoint.query_params()[1].wire_name(), "x-Flag");
    assert!(!endpoint.has_body());
    assert_eq!(endpoint.version(), "2023-01-01");
    assert!(!endpoint.is_paginated());
    assert_eq!(endpoint.deprecated(), Some("use get_widget"));
    assert_eq!(endpoint.common(), CommonParams::ALL);
    let request = call.inspect().unwrap();
    let url = request.url().as_str();
    assert!(url.contains("/groups/32b6e34b3d91647abb20e7b8/things/abc?"), "{url}");
    assert!(url.contains("includeDeleted=true"), "{url}");
    assert!(url.contains("x-Flag=false"), "{url}");

    let job = NewThing { name: "restore".to_owned() };
    let call = client.create_by_ref(GROUP, "flex-0", &job);
    let endpoint = call.endpoint().unwrap();
    assert!(endpoint.has_body());
    assert_eq!(endpoint.version(), "2024-11-13");
    assert_eq!(endpoint.path_params()[1].wire_name(), "name");
    assert_eq!(endpoint.path_params()[1].pattern().unwrap().source(), "^[a-zA-Z0-9][a-zA-Z0-9-]*$");
    assert_eq!(call.inspect().unwrap().body(), Some(&br#"{"name":"restore"}"#[..]));

    let call = client.update_by_value("5f0c3a0b8e1d2c3b4a596877".to_owned(), "gadget", true, job);
    let endpoint = call.endpoint().unwrap();
    assert_eq!(endpoint.method(), Method::Patch);
    assert_eq!(endpoint.version(), "preview");
    assert_eq!(endpoint.path_params()[1].name(), "type");
    assert!(endpoint.path_params()[1].pattern().is_none());
    assert_eq!(endpoint.query_params()[0].wire_name(), "async");

    let listing = client.list_things(GROUP, "cluster-0");
    let endpoint = listing.endpoint().unwrap();
    assert!(endpoint.is_paginated());
    assert_eq!(endpoint.spec_template(), "/groups/{groupId}/clusters/{clusterName}/things");

    let endpoint = client.root().endpoint().unwrap();
    assert!(endpoint.segments().is_empty());
    assert!(endpoint.path_params().is_empty());
    assert_eq!(endpoint.spec_path(), "/api/atlas/v2");

    let endpoint = client.pin(GROUP, "c0", Some(true), None).endpoint().unwrap();
    assert_eq!(endpoint.spec_template(), "/groups/{groupId}/clusters/{clusterName}:pin");
    assert!(endpoint.is_unauthenticated());
    assert_eq!(endpoint.header_params()[0].wire_name(), "Use-Effective-Fields");
    assert!(endpoint.path_params().iter().all(|p| p.pattern().is_none()), "no pattern by name");

    let endpoint = client.plain(GROUP).endpoint().unwrap();
    assert_eq!(endpoint.common(), CommonParams { envelope: false, pretty: false });
    assert_eq!(endpoint.spec_params().len(), 1);
    let listing = client.pretty_only(GROUP);
    let endpoint = listing.endpoint().unwrap();
    assert_eq!(endpoint.common(), CommonParams { envelope: false, pretty: true });
    let names: Vec<_> = endpoint.spec_params().iter().map(|p| p.name).collect();
    assert_eq!(names, ["groupId", "pretty", "pageNum", "itemsPerPage", "includeCount"]);
    assert_eq!(endpoint.spec_path(), "/api/atlas/v2/groups/{groupId}/pretty");

    // A crate that only declares endpoints finds them in the catalog, with the facade's.
    let catalog = atlas_endpoints::catalog();
    for name in ["get_thing", "create_by_ref", "update_by_value", "list_things", "root", "plain", "pretty_only"] {
        assert_eq!(catalog.iter().filter(|e| e.rust_name() == name).count(), 1, "{name}");
    }
    assert!(catalog.iter().any(|e| e.operation_id() == Some("listGroupFlexClusterBackupRestoreJobs")));
    assert_eq!(catalog[0].rust_name(), "root", "sorted by path");
}
