//! Shapes of issue 10 beyond plain `paginated` and plain `#[query]`: listings without
//! `includeCount` or without an `itemsPerPage` maximum, writes that answer one page,
//! operation-specific query constraints, enums as path and query values, and a parameters
//! struct (`#[query(flatten)]`). Each is declared as the spec writes it, its request shape
//! inspected, and sent to a loopback server that records what arrives.

mod support;

use atlas_endpoints::{
    atlas_endpoint, AtlasClient, Call, Client, DeliveryType, Error, ErrorKind, Page, Paginated,
    ParamLocation, QueryParam, QueryParams, QueryValue, Rule,
};
use futures::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const ORG: &str = "5e2211c17a3e5a48f5497de3";
const TEAM: &str = "5e2211c17a3e5a48f5497de4";
const HASH: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The optional parameters of `listGroupClusterQueryShapeInsightSummaries`, written by hand
/// as a generator would: a caller sets only what it uses, the rest stays `None`/empty.
#[derive(Debug, Default, Clone)]
pub struct SummaryParams {
    pub since: Option<u64>,
    pub until: Option<u64>,
    pub process_ids: Vec<String>,
    pub namespaces: Vec<String>,
    pub commands: Vec<String>,
    pub n_summaries: Option<u32>,
    pub series: Vec<String>,
    pub query_shape_hashes: Vec<String>,
}

static QUERY_SHAPE_HASH: atlas_endpoints::Pattern =
    atlas_endpoints::Pattern::new("^([a-fA-F0-9]{64})$");

impl QueryParams for SummaryParams {
    const PARAMS: &'static [QueryParam] = &[
        QueryParam::new("since", "since").min(1_199_145_600_000),
        QueryParam::new("until", "until").min(1_199_145_600_000),
        QueryParam::new("process_ids", "processIds").max_items(10),
        QueryParam::new("namespaces", "namespaces").max_items(10),
        QueryParam::new("commands", "commands")
            .max_items(3)
            .one_of(&["find", "distinct", "aggregate"]),
        QueryParam::new("n_summaries", "nSummaries").min(1).max(100),
        QueryParam::new("series", "series").max_items(15),
        QueryParam::new("query_shape_hashes", "queryShapeHashes")
            .max_items(10)
            .pattern(&QUERY_SHAPE_HASH),
    ];

    fn append_query_params(&self, pairs: &mut Vec<(&'static str, String)>) {
        self.since.append_query("since", pairs);
        self.until.append_query("until", pairs);
        self.process_ids.append_query("processIds", pairs);
        self.namespaces.append_query("namespaces", pairs);
        self.commands.append_query("commands", pairs);
        self.n_summaries.append_query("nSummaries", pairs);
        self.series.append_query("series", pairs);
        self.query_shape_hashes
            .append_query("queryShapeHashes", pairs);
    }
}

impl SummaryParams {
    pub fn n_summaries(mut self, n: u32) -> Self {
        self.n_summaries = Some(n);
        self
    }

    pub fn command(mut self, command: &str) -> Self {
        self.commands.push(command.to_owned());
        self
    }

    pub fn query_shape_hash(mut self, hash: &str) -> Self {
        self.query_shape_hashes.push(hash.to_owned());
        self
    }
}

// The endpoint attributes are laid out by hand, several options a line.
#[rustfmt::skip::attributes(atlas_endpoint)]
pub trait Shapes: AtlasClient {
    /// Shape 4: a listing without `includeCount` and without an `itemsPerPage` maximum;
    /// shape 11/12: query enums closed with `one_of`.
    #[atlas_endpoint(GET, "/groups/<group_id>/mongoDBVersions",
        operation_id = "getGroupMongoDbVersions",
        paginated(include_count = false, max_items_per_page = none))]
    fn list_mongodb_versions(
        &self,
        group_id: &str,
        #[query(one_of("AWS", "AZURE", "GCP", "TENANT"))] cloud_provider: Option<&str>,
        #[query] instance_size: Option<&str>,
        #[query(one_of("DEFAULT"))] default_status: Option<&str>,
    ) -> Paginated<Value>;

    /// Shapes 4 and 11: a listing without `includeCount`, with a pattern and a `maxItems`
    /// on its own query parameters.
    #[atlas_endpoint(GET, "/orgs/<org_id>/teams/<team_id>/users",
        operation_id = "listOrgTeamUsers", paginated(include_count = false))]
    fn list_team_users(
        &self,
        org_id: &str,
        team_id: &str,
        #[query(
            max_items = 4,
            one_of("PENDING", "ACTIVE", "INVITATION_EXPIRED", "INVITATION_REJECTED")
        )]
        org_membership_statuses: &[&str],
        #[query(pattern = "^([a-f0-9]{24})$")] user_id: Option<&str>,
    ) -> Paginated<Value>;

    /// Shape 4: a write that answers one page; sent once, with its paging parameters.
    #[atlas_endpoint(POST, "/groups/<group_id>/accessList",
        operation_id = "createGroupAccessListEntry", paginated)]
    fn create_access_list_entries(
        &self,
        group_id: &str,
        #[body] entries: &[Value],
    ) -> Call<Page<Value>>;

    /// Shape 11: a range on a plain query argument.
    #[atlas_endpoint(GET, "/orgs/<org_id>/associatedInvoices",
        version = "2025-03-12", operation_id = "getOrgAssociatedInvoices")]
    fn associated_invoices(
        &self,
        org_id: &str,
        #[query(min = 1, max = 12)] month: Option<u32>,
        #[query(min = 2000)] year: Option<u32>,
        #[query] include_linked_orgs: Option<bool>,
    ) -> Call<Value>;

    /// Shape 12: a path enum, closed with `one_of` as the spec's `enum` says.
    #[atlas_endpoint(GET, "/groups/<group_id>/integrations/<integration_type>",
        operation_id = "getGroupIntegration")]
    fn get_integration(
        &self,
        group_id: &str,
        #[path(one_of(
            "PAGER_DUTY",
            "SLACK",
            "DATADOG",
            "NEW_RELIC",
            "OPS_GENIE",
            "VICTOR_OPS",
            "WEBHOOK",
            "HIP_CHAT",
            "PROMETHEUS",
            "MICROSOFT_TEAMS"
        ))]
        integration_type: &str,
    ) -> Call<Value>;

    /// Shape 12 with a generated open enum as the value: `DeliveryType` (an `open_enum!` of
    /// the facade) stands in for any enum, as a path value and as a repeated query value.
    /// Not an Atlas operation; the path is made up for the test.
    #[atlas_endpoint(GET, "/groups/<group_id>/deliveries/<delivery>")]
    fn get_delivery(
        &self,
        group_id: &str,
        #[path(one_of("automated", "download", "pointInTime"))] delivery: &DeliveryType,
        #[query(one_of("automated", "download", "pointInTime"))] also: Vec<DeliveryType>,
    ) -> Call<Value>;

    /// Shape 13: eight optional parameters in one struct, set by the caller as needed.
    #[atlas_endpoint(GET, "/groups/<group_id>/clusters/<cluster_name>/queryShapeInsights/summaries",
        version = "2025-03-12", operation_id = "listGroupClusterQueryShapeInsightSummaries")]
    fn query_shape_summaries(
        &self,
        group_id: &str,
        cluster_name: &str,
        #[query(flatten)] params: &SummaryParams,
    ) -> Call<Value>;
}

impl Shapes for Client {}

fn offline() -> Client {
    Client::builder()
        .base_url("https://cloud.mongodb.com")
        .bearer_token("token")
        .build()
        .unwrap()
}

fn url_of(request: atlas_endpoints::Result<atlas_endpoints::PreparedRequest>) -> String {
    request.unwrap().url().as_str().to_owned()
}

fn refused(result: Result<impl std::fmt::Debug, Error>) -> atlas_endpoints::InvalidArgument {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    error.invalid_argument_detail().unwrap().clone()
}

/// `detail` names `parameter`, its `value` and the `rule` it breaks.
fn assert_breaks(
    detail: &atlas_endpoints::InvalidArgument,
    parameter: &str,
    value: &str,
    rule: Rule,
) {
    assert_eq!(detail.parameter, parameter, "{detail:?}");
    assert_eq!(detail.value, value, "{detail:?}");
    assert_eq!(detail.rule, rule, "{detail:?}");
}

const V2: &str = "https://cloud.mongodb.com/api/atlas/v2";

// Shape 4: paging beyond GET with includeCount.

#[test]
fn a_listing_without_include_count_refuses_true_and_sends_nothing_for_false() {
    let client = offline();
    let listing = || client.list_mongodb_versions(GROUP, Some("AWS"), None, None);
    assert_eq!(
        url_of(
            listing()
                .include_count(false)
                .items_per_page(2000)
                .inspect()
        ),
        format!(
            "{V2}/groups/{GROUP}/mongoDBVersions?cloudProvider=AWS&pageNum=1&itemsPerPage=2000"
        )
    );
    let detail = refused(listing().include_count(true).inspect());
    assert_breaks(&detail, "includeCount", "true", Rule::NotAccepted);
    // No maximum: only the minimum stays.
    let detail = refused(listing().items_per_page(0).inspect());
    assert_eq!(detail.rule, Rule::Range { min: 1, max: None });

    let endpoint = listing().endpoint().unwrap();
    assert!(!endpoint.takes_include_count());
    assert_eq!(endpoint.max_items_per_page(), None);
    let names = support::spec_names_in(endpoint, ParamLocation::Query);
    assert_eq!(
        names,
        [
            "cloudProvider",
            "instanceSize",
            "defaultStatus",
            "envelope",
            "pretty",
            "pageNum",
            "itemsPerPage"
        ]
    );
}

#[test]
fn a_paginated_write_answers_one_page_with_its_paging_parameters() {
    let client = offline();
    let entries = [json!({"cidrBlock": "10.0.0.0/24"})];
    let call = client
        .create_access_list_entries(GROUP, &entries)
        .page_num(2)
        .items_per_page(50)
        .include_count(false);
    let request = call.inspect().unwrap();
    assert_eq!(request.method(), atlas_endpoints::Method::Post);
    assert_eq!(
        request.url().as_str(),
        format!("{V2}/groups/{GROUP}/accessList?pageNum=2&itemsPerPage=50&includeCount=false")
    );
    let sent: Value = serde_json::from_slice(request.body().unwrap()).unwrap();
    assert_eq!(sent, json!([{"cidrBlock": "10.0.0.0/24"}]));
    let detail = refused(
        client
            .create_access_list_entries(GROUP, &entries)
            .items_per_page(501)
            .inspect(),
    );
    assert_eq!(detail.parameter, "itemsPerPage");
    // Nothing set: no paging parameter at all.
    assert_eq!(
        url_of(client.create_access_list_entries(GROUP, &entries).inspect()),
        format!("{V2}/groups/{GROUP}/accessList")
    );
}

// Shape 11: operation-specific constraints.

#[test]
fn constrained_query_values_are_checked_before_sending() {
    let client = offline();
    assert_eq!(
        url_of(
            client
                .associated_invoices(ORG, Some(12), Some(2000), None)
                .inspect()
        ),
        format!("{V2}/orgs/{ORG}/associatedInvoices?month=12&year=2000")
    );
    let detail = refused(
        client
            .associated_invoices(ORG, Some(13), None, None)
            .inspect(),
    );
    let months = Rule::Range {
        min: 1,
        max: Some(12),
    };
    assert_breaks(&detail, "month", "13", months);
    let detail = refused(
        client
            .associated_invoices(ORG, None, Some(1999), None)
            .inspect(),
    );
    assert_eq!(
        (detail.parameter.as_ref(), detail.rule),
        (
            "year",
            Rule::Range {
                min: 2000,
                max: None
            }
        )
    );

    let statuses = ["PENDING", "ACTIVE", "PENDING", "ACTIVE", "PENDING"];
    let detail = refused(client.list_team_users(ORG, TEAM, &statuses, None).inspect());
    let at_most_four = Rule::Items {
        min: 0,
        max: Some(4),
    };
    assert_breaks(&detail, "orgMembershipStatuses", "5", at_most_four);
    let detail = refused(client.list_team_users(ORG, TEAM, &["GONE"], None).inspect());
    assert!(matches!(detail.rule, Rule::OneOf(values) if values.len() == 4));
    let detail = refused(
        client
            .list_team_users(ORG, TEAM, &[], Some("nope"))
            .inspect(),
    );
    assert_eq!(
        (detail.parameter.as_ref(), detail.rule),
        ("userId", Rule::Pattern("^([a-f0-9]{24})$"))
    );
    assert_eq!(
        url_of(
            client
                .list_team_users(ORG, TEAM, &["ACTIVE", "PENDING"], Some(GROUP))
                .inspect()
        ),
        format!(
            "{V2}/orgs/{ORG}/teams/{TEAM}/users?orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING&userId={GROUP}&pageNum=1"
        )
    );

    let endpoint = client
        .list_team_users(ORG, TEAM, &[], None)
        .endpoint()
        .unwrap();
    let statuses = &endpoint.query_params()[0];
    assert_eq!(statuses.max_items_allowed(), Some(4));
    assert_eq!(statuses.allowed_values().len(), 4);
    let user = &endpoint.query_params()[1];
    assert_eq!(
        user.value_pattern().map(|p| p.source()),
        Some("^([a-f0-9]{24})$")
    );
}

// Shape 12: enums as path and query values.

#[test]
fn enums_are_path_and_query_values_and_values_outside_them_are_refused() {
    let client = offline();
    assert_eq!(
        url_of(client.get_integration(GROUP, "SLACK").inspect()),
        format!("{V2}/groups/{GROUP}/integrations/SLACK")
    );
    let detail = refused(client.get_integration(GROUP, "slack").inspect());
    assert_eq!(detail.parameter, "integration_type");
    assert!(matches!(detail.rule, Rule::OneOf(values) if values.contains(&"SLACK")));

    let url = url_of(
        client
            .get_delivery(
                GROUP,
                &DeliveryType::PointInTime,
                vec![DeliveryType::Automated, DeliveryType::Download],
            )
            .inspect(),
    );
    assert_eq!(
        url,
        format!("{V2}/groups/{GROUP}/deliveries/pointInTime?also=automated&also=download")
    );
    let other = DeliveryType::Other("teleport".into());
    let detail = refused(client.get_delivery(GROUP, &other, vec![]).inspect());
    assert_eq!(
        (detail.parameter.as_ref(), detail.value.as_str()),
        ("delivery", "teleport")
    );
    let detail = refused(
        client
            .get_delivery(GROUP, &DeliveryType::Automated, vec![other.clone()])
            .inspect(),
    );
    assert_eq!(
        (detail.parameter.as_ref(), detail.value.as_str()),
        ("also", "teleport")
    );
}

// Shape 13: a parameters struct.

#[test]
fn a_parameters_struct_sends_only_what_is_set_and_is_checked() {
    let client = offline();
    let base = format!("{V2}/groups/{GROUP}/clusters/Cluster0/queryShapeInsights/summaries");
    assert_eq!(
        url_of(
            client
                .query_shape_summaries(GROUP, "Cluster0", &SummaryParams::default())
                .inspect()
        ),
        base
    );
    let params = SummaryParams::default()
        .n_summaries(10)
        .command("find")
        .query_shape_hash(HASH);
    assert_eq!(
        url_of(
            client
                .query_shape_summaries(GROUP, "Cluster0", &params)
                .inspect()
        ),
        format!("{base}?commands=find&nSummaries=10&queryShapeHashes={HASH}")
    );
    let detail = refused(
        client
            .query_shape_summaries(GROUP, "Cluster0", &SummaryParams::default().n_summaries(0))
            .inspect(),
    );
    assert_eq!(
        (detail.parameter.as_ref(), detail.value.as_str()),
        ("nSummaries", "0")
    );
    let four = SummaryParams::default()
        .command("find")
        .command("find")
        .command("find")
        .command("find");
    let detail = refused(
        client
            .query_shape_summaries(GROUP, "Cluster0", &four)
            .inspect(),
    );
    assert_eq!(
        detail.rule,
        Rule::Items {
            min: 0,
            max: Some(3)
        }
    );

    // The struct's parameters are the endpoint's, for the catalog.
    let endpoint = client
        .query_shape_summaries(GROUP, "Cluster0", &params)
        .endpoint()
        .unwrap();
    let names: Vec<_> = endpoint
        .query_params()
        .iter()
        .map(|p| p.wire_name())
        .collect();
    assert_eq!(
        names,
        [
            "since",
            "until",
            "processIds",
            "namespaces",
            "commands",
            "nSummaries",
            "series",
            "queryShapeHashes"
        ]
    );
    assert!(atlas_endpoints::catalog().iter().any(|e| e.operation_id()
        == Some("listGroupClusterQueryShapeInsightSummaries")
        && e.query_params().len() == 8));
}

// Loopback: what arrives, and that refused values send nothing.

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("token")
        .build()
        .unwrap();
    (server, client)
}

fn queries(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn loopback_a_listing_without_include_count_streams_every_page() {
    let (server, client) = server().await;
    let page = |n: usize| {
        ResponseTemplate::new(200).set_body_json(json!({
            "results": (0..n).map(|i| json!({"version": i})).collect::<Vec<_>>(),
        }))
    };
    // Page 1 is full (600 items), page 2 short (3).
    for (page_num, items) in [("1", 600), ("2", 3)] {
        Mock::given(method("GET"))
            .and(path(format!(
                "/api/atlas/v2/groups/{GROUP}/mongoDBVersions"
            )))
            .and(wiremock::matchers::query_param("pageNum", page_num))
            .respond_with(page(items))
            .mount(&server)
            .await;
    }

    let items: Vec<Value> = client
        .list_mongodb_versions(GROUP, None, None, Some("DEFAULT"))
        .items_per_page(600)
        .include_count(false)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 603);
    let mut sent = queries(&server.received_requests().await.unwrap());
    sent.sort();
    // Without a count the listing reads one page ahead, so page 3 may have been asked for
    // (and its answer dropped) before page 2 turned out to be the last.
    assert!(sent.len() <= 3, "{sent:?}");
    assert_eq!(
        sent[..2],
        [
            "defaultStatus=DEFAULT&pageNum=1&itemsPerPage=600",
            "defaultStatus=DEFAULT&pageNum=2&itemsPerPage=600"
        ]
    );
    if let Some(read_ahead) = sent.get(2) {
        assert_eq!(
            read_ahead,
            "defaultStatus=DEFAULT&pageNum=3&itemsPerPage=600"
        );
    }

    let error = client
        .list_mongodb_versions(GROUP, Some("aws"), None, None)
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    let error = client
        .list_mongodb_versions(GROUP, None, None, None)
        .include_count(true)
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    // Nothing more was sent than the listing's pages (2, or 3 with the read-ahead).
    assert_eq!(server.received_requests().await.unwrap().len(), sent.len());
}

#[tokio::test]
async fn loopback_a_paginated_write_is_sent_once_and_decodes_its_page() {
    let (server, client) = server().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/atlas/v2/groups/{GROUP}/accessList")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"cidrBlock": "10.0.0.0/24"}],
            "totalCount": 3,
            "links": [{"rel": "self", "href": "https://x/api/atlas/v2/groups/g/accessList?pageNum=3&itemsPerPage=1"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let entries = [json!({"cidrBlock": "10.0.0.0/24"})];
    let page = client
        .create_access_list_entries(GROUP, &entries)
        .page_num(3)
        .items_per_page(1)
        .await
        .unwrap();
    assert_eq!(page.page_num(), 3);
    assert_eq!(page.total_count(), Some(3));
    assert_eq!(page.results().len(), 1);
    let received = server.received_requests().await.unwrap();
    assert_eq!(queries(&received), ["pageNum=3&itemsPerPage=1"]);
    let body: Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body, json!(entries));

    let error = client
        .create_access_list_entries(GROUP, &entries)
        .page_num(0)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn loopback_constraints_enums_and_parameters_structs() {
    let (server, client) = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;

    client
        .associated_invoices(ORG, Some(1), None, Some(true))
        .await
        .unwrap();
    client
        .get_delivery(
            GROUP,
            &DeliveryType::Download,
            vec![DeliveryType::Automated],
        )
        .await
        .unwrap();
    let params = SummaryParams::default()
        .n_summaries(100)
        .command("aggregate");
    client
        .query_shape_summaries(GROUP, "Cluster0", &params)
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let targets: Vec<String> = received
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or("")))
        .collect();
    assert_eq!(
        targets,
        [
            format!("/api/atlas/v2/orgs/{ORG}/associatedInvoices?month=1&includeLinkedOrgs=true"),
            format!("/api/atlas/v2/groups/{GROUP}/deliveries/download?also=automated"),
            format!(
                "/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/queryShapeInsights/summaries?commands=aggregate&nSummaries=100"
            ),
        ]
    );

    // Refused: nothing more arrives.
    let refusals: Vec<Error> = vec![
        client
            .associated_invoices(ORG, Some(0), None, None)
            .await
            .unwrap_err(),
        client.get_integration(GROUP, "EMAIL").await.unwrap_err(),
        client
            .get_delivery(GROUP, &DeliveryType::Other("x".into()), vec![])
            .await
            .unwrap_err(),
        client
            .query_shape_summaries(
                GROUP,
                "Cluster0",
                &SummaryParams::default().query_shape_hash("short"),
            )
            .await
            .unwrap_err(),
    ];
    for error in &refusals {
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}
