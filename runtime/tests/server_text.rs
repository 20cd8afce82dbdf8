//! What a server writes reaches messages escaped, shortened, and without the secrets it
//! echoes; the raw body stays available.

mod support;

use atlas_endpoints_runtime::{Client, ErrorKind};
use wiremock::ResponseTemplate;

#[tokio::test]
async fn control_characters_in_an_api_error_detail_are_escaped() {
    let detail = "bad\r\nFAKE LOG LINE\u{1b}]0;owned\u{7}";
    let server = support::serving(ResponseTemplate::new(400).set_body_json(serde_json::json!({
        "error": 400, "errorCode": "INVALID_ATTRIBUTE", "detail": detail
    })))
    .await;
    let client = support::bearer_client(server.uri());

    let error = support::get_root(&client).await.unwrap_err();

    let message = error.to_string();
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(message.contains(r"bad\r\nFAKE LOG LINE\u{1b}"), "{message}");
    let raw = String::from_utf8_lossy(error.body().unwrap()).into_owned();
    assert!(raw.contains("\\r\\nFAKE"), "the raw body is kept: {raw}");
}

#[tokio::test]
async fn a_token_error_that_echoes_the_secret_does_not_repeat_it() {
    let echo = serde_json::json!({
        "error": "invalid_client",
        "error_description": "secret mdb_sa_sk_echoed is wrong\u{1b}[2J"
    });
    let server = support::token_server(401, echo).await;
    let client =
        support::service_account_client(server.uri(), "mdb_sa_id_echo", "mdb_sa_sk_echoed");

    let error = support::get_root(&client).await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Auth);
    let message = error.report().to_string();
    assert!(!message.contains("mdb_sa_sk_echoed"), "{message}");
    assert!(message.contains("secret <redacted> is wrong"), "{message}");
    assert!(!message.chars().any(char::is_control), "{message:?}");
}

#[tokio::test]
async fn a_huge_refused_value_makes_a_short_message() {
    static GET_THING: atlas_endpoints_runtime::Endpoint =
        atlas_endpoints_runtime::Endpoint::builder(
            atlas_endpoints_runtime::Method::Get,
            "get_thing",
            "/things/<thing>",
            &[
                atlas_endpoints_runtime::Segment::Literal("/things/"),
                atlas_endpoints_runtime::Segment::Param(0),
            ],
            &[atlas_endpoints_runtime::PathParam::with_pattern(
                "thing",
                "thing",
                &atlas_endpoints_runtime::OBJECT_ID,
            )],
        )
        .build();
    let client = Client::builder().bearer_token("t").build().unwrap();
    let huge = "x".repeat(1 << 20);
    let call: atlas_endpoints_runtime::Call<serde_json::Value> =
        atlas_endpoints_runtime::private::endpoint_call(
            &client,
            &GET_THING,
            &[&huge],
            &[],
            None::<&()>,
        );

    let error = call.await.unwrap_err();

    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error.to_string().len() < 1_000,
        "{} bytes",
        error.to_string().len()
    );
    assert_eq!(
        error.invalid_argument_detail().unwrap().value.len(),
        1 << 20,
        "kept whole"
    );
}
