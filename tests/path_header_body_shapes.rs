//! Shapes of the spec that issue 10 adds (placeholders with a literal suffix, patterns written
//! for the encoded slash, no pattern by name, header parameters, optional bodies, a GET with a
//! body, the API root, operations without authentication): each declared as the spec has it,
//! its request inspected, and what goes over loopback HTTP checked with wiremock.

mod support;

use atlas_endpoints::{atlas_endpoint, Call, Client, ErrorKind, Method, ParamLocation, Rule};
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BASE: &str = "https://cloud.mongodb.com";
const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "5e2211c17a3e5a48f5497de3";
const INVOICE: &str = "5e2211c17a3e5a48f5497de4";
const V2023: &str = "application/vnd.atlas.2023-01-01+json";

/// The body of `pinGroupClusterFeatureCompatibilityVersion`, optional in the spec.
#[derive(Debug, Serialize)]
pub struct PinFcv {
    #[serde(rename = "expirationDate")]
    pub expiration_date: String,
}

/// The body of `searchOrgInvoiceLineItems`.
#[derive(Debug, Serialize)]
pub struct LineItemsSearch {
    pub filters: Value,
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
pub trait Shapes {
    /// Shape 1: a placeholder followed by a literal suffix; shape 8: an optional body.
    #[atlas_endpoint(POST,
        "/groups/<group_id>/clusters/<cluster_name>:pinFeatureCompatibilityVersion",
        version = "2023-01-01", operation_id = "pinGroupClusterFeatureCompatibilityVersion")]
    fn pin_fcv(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
        #[body] body: Option<&PinFcv>,
    ) -> Call<()>;

    /// Shape 8: an optional body taken by value.
    #[atlas_endpoint(POST, "/groups/<group_id>/things:start")]
    fn start_things(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[body] body: Option<PinFcv>,
    ) -> Call<()>;

    /// Shape 1: `.gz` after the placeholder (the download itself is engineer C's shape).
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<host_name>/logs/<log_name>.gz",
        operation_id = "downloadGroupClusterLog")]
    fn log(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        host_name: &str,
        log_name: &str,
    ) -> Call<()>;

    /// Shape 2: the spec's `entryValue` pattern, written for the encoded slash (its
    /// alternation unanchored, as the spec writes it).
    #[atlas_endpoint(DELETE, "/groups/<group_id>/accessList/<entry_value>",
        operation_id = "deleteGroupAccessListEntry", common(envelope, pretty))]
    fn delete_access_list_entry(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(
            pattern = r"^([0-9]{1,3}\.){3}[0-9]{1,3}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){7}[0-9a-f]{1,4}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){1,6}\:(%2[fF][0-9]{1,3})?$"
        )]
        entry_value: &str,
    ) -> Call<()>;

    /// Shape 2: an Azure private endpoint id, in the spec's encoded spelling.
    #[atlas_endpoint(GET,
        "/groups/<group_id>/privateEndpoint/AZURE/endpointService/<endpoint_service_id>/endpoint/<endpoint_id>")]
    fn get_azure_endpoint(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] endpoint_service_id: &str,
        #[path(
            pattern = r"^vpce-[0-9a-f]{17}|^%2[fF]subscriptions%2[fF][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}%2[fF]resource[gG]roups%2[fF]([-\w._()]+)%2[fF]providers%2[fF]Microsoft\.Network%2[fF]privateEndpoints%2[fF]([-\w._()]+)"
        )]
        endpoint_id: &str,
    ) -> Call<()>;

    /// Shape 3: an `*_id` argument the spec gives no pattern takes any value.
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing_id>")]
    fn get_thing(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        thing_id: &str,
    ) -> Call<Value>;

    /// Shape 7: header parameters, by default name and renamed.
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>", version = "2024-08-05",
        operation_id = "getGroupCluster")]
    fn get_cluster(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-zA-Z0-9][a-zA-Z0-9-]*$")] cluster_name: &str,
        #[header] use_effective_instance_fields: Option<bool>,
        #[header(rename = "Use-Effective-Fields-Replication-Specs")] replication: Option<bool>,
        #[header(rename = "X-Note")] note: &str,
    ) -> Call<Value>;

    /// Shape 8: a GET with a body.
    #[atlas_endpoint(GET, "/orgs/<org_id>/invoices/<invoice_id>/lineItems:search",
        operation_id = "searchOrgInvoiceLineItems")]
    fn search_line_items(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] org_id: &str,
        #[path(pattern = "^([a-f0-9]{24})$")] invoice_id: &str,
        #[body] search: &LineItemsSearch,
    ) -> Call<Value>;

    /// Shape 8: the API root itself.
    #[atlas_endpoint(GET, "", operation_id = "getSystemStatus")]
    fn get_system_status(&self) -> Call<Value>;

    /// Shape 8: an operation without authentication.
    #[atlas_endpoint(GET, "/unauth/controlPlaneIPAddresses",
        operation_id = "listControlPlaneIpAddresses", unauthenticated)]
    fn list_control_plane_ip_addresses(&self) -> Call<Value>;
}

impl Shapes for Client {}

fn client() -> Client {
    support::inspecting_client()
}

fn url(target: &str) -> String {
    format!("{BASE}/api/atlas/v2{target}")
}

fn invalid(error: atlas_endpoints::Error) -> atlas_endpoints::InvalidArgument {
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    error.invalid_argument_detail().unwrap().clone()
}

// Shape 1.

#[test]
fn a_placeholder_with_a_literal_suffix_is_one_encoded_segment() {
    let client = client();
    let call = client.pin_fcv(GROUP, "my-cluster", None);
    let request = call.inspect().unwrap();
    assert_eq!(
        request.url().as_str(),
        url(&format!(
            "/groups/{GROUP}/clusters/my-cluster:pinFeatureCompatibilityVersion"
        ))
    );
    let endpoint = call.endpoint().unwrap();
    assert_eq!(
        endpoint.spec_path(),
        "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:pinFeatureCompatibilityVersion"
    );

    let request = client.log(GROUP, "a/b c", "mongodb").inspect().unwrap();
    assert_eq!(
        request.url().as_str(),
        url(&format!(
            "/groups/{GROUP}/clusters/a%2Fb%20c/logs/mongodb.gz"
        ))
    );
    // The value is still checked against its pattern.
    let error = client.pin_fcv(GROUP, "-bad", None).inspect().unwrap_err();
    assert_eq!(invalid(error).parameter, "cluster_name");
}

// Shape 2.

#[test]
fn a_cidr_block_is_accepted_plain_and_sent_encoded_once() {
    let client = client();
    let request = client
        .delete_access_list_entry(GROUP, "10.0.0.0/24")
        .inspect()
        .unwrap();
    assert_eq!(
        request.url().as_str(),
        url(&format!("/groups/{GROUP}/accessList/10.0.0.0%2F24"))
    );
    let request = client
        .delete_access_list_entry(GROUP, "10.0.0.1")
        .inspect()
        .unwrap();
    assert!(request.url().as_str().ends_with("/accessList/10.0.0.1"));
}

#[test]
fn a_value_already_percent_encoded_is_refused_not_double_encoded() {
    let error = client()
        .delete_access_list_entry(GROUP, "10.0.0.0%2F24")
        .inspect()
        .unwrap_err();
    let detail = invalid(error);
    assert_eq!(detail.parameter, "entry_value");
    assert_eq!(detail.value, "10.0.0.0%2F24");
    assert_eq!(detail.rule, Rule::PlainValue);
}

#[test]
fn an_azure_resource_id_is_accepted_plain() {
    let id = "/subscriptions/0b5d7b3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-1/providers/Microsoft.Network/privateEndpoints/pe-1";
    let request = client()
        .get_azure_endpoint(GROUP, ORG, id)
        .inspect()
        .unwrap();
    assert!(
        request.url().as_str().ends_with(
            "/endpoint/%2Fsubscriptions%2F0b5d7b3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b%2FresourceGroups%2Frg-1%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe-1"
        ),
        "{request}"
    );
    let request = client()
        .get_azure_endpoint(GROUP, ORG, "vpce-0123456789abcdef0")
        .inspect()
        .unwrap();
    assert!(request
        .url()
        .as_str()
        .ends_with("/endpoint/vpce-0123456789abcdef0"));
}

// Shape 3.

#[test]
fn an_id_without_a_spec_pattern_takes_any_value() {
    let call = client().get_thing(GROUP, "not-an-object-id");
    let request = call.inspect().unwrap();
    assert!(request.url().as_str().ends_with("/things/not-an-object-id"));
    let params = call.endpoint().unwrap().spec_params();
    let thing = params.iter().find(|param| param.name == "thingId").unwrap();
    assert_eq!(thing.pattern, None);
    let group = params.iter().find(|param| param.name == "groupId").unwrap();
    assert_eq!(group.pattern, Some("^([a-f0-9]{24})$"));
}

// Shape 7.

#[test]
fn header_parameters_are_sent_as_headers_and_listed_in_the_spec_params() {
    let call = client().get_cluster(GROUP, "c0", Some(true), None, "hello");
    let request = call.inspect().unwrap();
    assert_eq!(request.headers()["use-effective-instance-fields"], "true");
    assert!(request
        .headers()
        .get("use-effective-fields-replication-specs")
        .is_none());
    assert_eq!(request.headers()["x-note"], "hello");
    assert_eq!(
        request.url().as_str(),
        url(&format!("/groups/{GROUP}/clusters/c0"))
    );

    let headers = support::spec_names_in(call.endpoint().unwrap(), ParamLocation::Header);
    assert_eq!(
        headers,
        [
            "Use-Effective-Instance-Fields",
            "Use-Effective-Fields-Replication-Specs",
            "X-Note"
        ]
    );
    assert_eq!(ParamLocation::Header.as_str(), "header");
}

#[test]
fn an_illegal_header_value_fails_before_sending() {
    let error = client()
        .get_cluster(GROUP, "c0", None, None, "two\r\nlines")
        .inspect()
        .unwrap_err();
    let detail = invalid(error);
    assert_eq!(detail.parameter, "note");
    assert_eq!(detail.value, "two\r\nlines");
    assert!(
        matches!(detail.rule, Rule::WellFormed(_)),
        "{:?}",
        detail.rule
    );
}

// Shape 8.

#[test]
fn an_optional_body_sends_nothing_when_none() {
    let client = client();
    let request = client.pin_fcv(GROUP, "c0", None).inspect().unwrap();
    assert!(request.body().is_none());
    assert!(request.headers().get("content-type").is_none());
    assert_eq!(request.headers()["accept"], V2023);

    let body = PinFcv {
        expiration_date: "2026-12-31T00:00:00Z".into(),
    };
    let request = client.pin_fcv(GROUP, "c0", Some(&body)).inspect().unwrap();
    assert_eq!(request.headers()["content-type"], V2023);
    let sent: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
    assert_eq!(sent, json!({"expirationDate": "2026-12-31T00:00:00Z"}));

    assert!(client
        .start_things(GROUP, None)
        .inspect()
        .unwrap()
        .body()
        .is_none());
    let owned = client.start_things(GROUP, Some(body)).inspect().unwrap();
    assert!(owned.body().is_some());
}

#[test]
fn a_get_may_carry_a_body() {
    let search = LineItemsSearch {
        filters: json!({"usageDate": {}}),
    };
    let request = client()
        .search_line_items(ORG, INVOICE, &search)
        .inspect()
        .unwrap();
    assert_eq!(request.method(), Method::Get);
    assert_eq!(
        request.url().as_str(),
        url(&format!("/orgs/{ORG}/invoices/{INVOICE}/lineItems:search"))
    );
    assert_eq!(request.headers()["content-type"], V2023);
    let sent: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
    assert_eq!(sent, json!({"filters": {"usageDate": {}}}));
}

#[test]
fn the_api_root_is_the_empty_template() {
    let call = client().get_system_status();
    let request = call.inspect().unwrap();
    assert_eq!(request.url().as_str(), format!("{BASE}/api/atlas/v2"));
    assert_eq!(call.endpoint().unwrap().spec_path(), "/api/atlas/v2");
}

#[test]
fn an_unauthenticated_operation_shows_no_credentials() {
    let call = client().list_control_plane_ip_addresses();
    assert!(call.endpoint().unwrap().is_unauthenticated());
    assert!(!client()
        .get_system_status()
        .endpoint()
        .unwrap()
        .is_unauthenticated());
    let request = call.inspect().unwrap();
    assert!(
        request.headers().get("authorization").is_none(),
        "{request}"
    );
}

// Over loopback HTTP.

async fn server() -> MockServer {
    MockServer::start().await
}

fn client_for(server: &MockServer, auth: &str) -> Client {
    let builder = Client::builder().base_url(server.uri());
    let builder = match auth {
        "digest" => builder.api_key("public", "private"),
        "service-account" => builder.service_account("id", "secret"),
        _ => builder.bearer_token("token"),
    };
    builder.build().unwrap()
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn over_http_suffix_encoded_slash_headers_and_bodies_are_sent_as_declared() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let client = client_for(&server, "token");

    client.pin_fcv(GROUP, "c0", None).await.unwrap();
    client
        .delete_access_list_entry(GROUP, "10.0.0.0/24")
        .await
        .unwrap();
    client
        .get_cluster(GROUP, "c0", Some(false), Some(true), "n")
        .await
        .unwrap();
    let search = LineItemsSearch { filters: json!({}) };
    client
        .search_line_items(ORG, INVOICE, &search)
        .await
        .unwrap();
    client.get_system_status().await.unwrap();

    let requests = received(&server).await;
    assert_eq!(requests.len(), 5);
    let pin = &requests[0];
    assert_eq!(
        pin.url.path(),
        format!("/api/atlas/v2/groups/{GROUP}/clusters/c0:pinFeatureCompatibilityVersion")
    );
    assert!(pin.body.is_empty());
    assert!(pin.headers.get("content-type").is_none());

    // The raw request target keeps the one encoding (`Url::path` does not decode).
    assert_eq!(
        requests[1].url.path(),
        format!("/api/atlas/v2/groups/{GROUP}/accessList/10.0.0.0%2F24")
    );

    let cluster = &requests[2];
    assert_eq!(cluster.headers["use-effective-instance-fields"], "false");
    assert_eq!(
        cluster.headers["use-effective-fields-replication-specs"],
        "true"
    );

    let search = &requests[3];
    assert_eq!(search.method.as_str(), "GET");
    assert_eq!(search.body, b"{\"filters\":{}}");
    assert_eq!(search.headers["content-type"], V2023);

    assert_eq!(requests[4].url.path(), "/api/atlas/v2");
}

#[tokio::test]
async fn over_http_an_unauthenticated_operation_sends_no_credentials_whatever_the_client_holds() {
    for auth in ["token", "digest", "service-account"] {
        let server = server().await;
        Mock::given(method("GET"))
            .and(path("/api/atlas/v2/unauth/controlPlaneIPAddresses"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"inbound": {}})))
            .mount(&server)
            .await;
        // Anything else (a token request above all) would be answered 500 and seen below.
        let client = client_for(&server, auth);
        let answer = client.list_control_plane_ip_addresses().await.unwrap();
        assert_eq!(answer, json!({"inbound": {}}));
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{auth}: {requests:?}");
        assert!(requests[0].headers.get("authorization").is_none(), "{auth}");
    }
}

#[tokio::test]
async fn over_http_a_digest_challenge_is_not_answered_for_an_unauthenticated_operation() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "www-authenticate",
            "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"abc\", algorithm=MD5, qop=\"auth\", stale=false",
        ))
        .mount(&server)
        .await;
    let client = client_for(&server, "digest");
    let error = client.list_control_plane_ip_addresses().await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert!(requests[0].headers.get("authorization").is_none());
}
