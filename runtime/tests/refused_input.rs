//! Input that cannot make a valid request is refused before anything is sent, naming what
//! is wrong, in messages of bounded size: a path value too long for any URL, a credential
//! from the environment with a trailing newline.

mod support;

use atlas_endpoints_runtime::private::endpoint_call;
use atlas_endpoints_runtime::{
    Call, Client, Endpoint, ErrorKind, Method, PathParam, Rule, Segment,
};
use wiremock::MockServer;

/// `GET /things/<thing>`, a free-text path value.
static GET_THING: Endpoint = Endpoint::builder(
    Method::Get,
    "get_thing",
    "/things/<thing>",
    &[Segment::Literal("/things/"), Segment::Param(0)],
    &[PathParam::new("thing", "thing")],
)
.build();

fn get_thing(client: &Client, thing: &str) -> Call<serde_json::Value> {
    endpoint_call(client, &GET_THING, &[thing], &[], None::<&()>)
}

#[tokio::test]
async fn a_megabyte_path_value_is_refused_before_sending_in_a_short_message() {
    let server = MockServer::start().await;
    let client = support::bearer_client(server.uri());
    let value = "x".repeat(1 << 20);

    let inspected = get_thing(&client, &value).inspect().unwrap_err();
    let error = get_thing(&client, &value).await.unwrap_err();

    for error in [&inspected, &error] {
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{error}");
        let detail = error.invalid_argument_detail().unwrap();
        assert_eq!(detail.parameter, "thing");
        assert_eq!(detail.rule, Rule::MaxEncodedLength(8000));
        assert_eq!(
            detail.value.len(),
            1 << 20,
            "the whole value stays available"
        );
        assert!(error.to_string().len() < 1000, "the message is bounded");
        assert!(format!("{error:?}").len() < 1000, "so is Debug");
        assert!(error.to_string().contains("nothing was sent"));
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

#[test]
fn an_environment_token_with_a_trailing_newline_is_refused_naming_the_variable() {
    for (name, partner) in [
        ("MONGODB_ATLAS_ACCESS_TOKEN", None),
        (
            "MONGODB_ATLAS_CLIENT_SECRET",
            Some("MONGODB_ATLAS_CLIENT_ID"),
        ),
        (
            "MONGODB_ATLAS_PRIVATE_API_KEY",
            Some("MONGODB_ATLAS_PUBLIC_API_KEY"),
        ),
    ] {
        let mut vars = vec![(name, "s3cr3t-value\n")];
        vars.extend(partner.map(|partner| (partner, "the-other-half")));
        let lookup = |wanted: &str| {
            vars.iter()
                .find(|(var, _)| *var == wanted)
                .map(|(_, value)| value.to_string())
        };
        let error = Client::builder()
            .with_env(lookup)
            .and_then(|builder| builder.build())
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{error}");
        let message = error.to_string();
        assert!(message.contains(name), "{message}");
        assert!(message.contains("newline"), "{message}");
        assert!(!message.contains("s3cr3t"), "{message}");
    }
}

#[test]
fn a_bearer_token_that_no_header_can_carry_is_refused_when_the_client_is_built() {
    for token in ["tok\n", "", "two words"] {
        let error = Client::builder()
            .base_url("http://127.0.0.1:9")
            .bearer_token(token)
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Config, "{token:?}: {error}");
        assert!(error.to_string().contains("bearer token"), "{error}");
    }
}
