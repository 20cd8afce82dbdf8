//! The three ways to authenticate, over real loopback HTTP: the static bearer
//! token, HTTP Digest with API keys, and OAuth 2.0 access tokens of service
//! accounts.

use std::time::Duration;

mod support;

use atlas_endpoints_sandbox::{DigestAlgorithm, Sandbox, DIGEST_REALM, REVOKE_PATH, TOKEN_PATH};
use md5::Md5;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};
use support::{jobs, request, Reply, SERVERLESS};

const PUBLIC_KEY: &str = "abcdefgh";
const PRIVATE_KEY: &str = "01234567-89ab-cdef-0123-456789abcdef";
const CLIENT_ID: &str = "mdb_sa_id_0123456789abcdef01234567";
const CLIENT_SECRET: &str = "mdb_sa_sk_secret";
const FORM: &str = "application/x-www-form-urlencoded";

/// GET `path_and_query` with `Authorization: <authorization>` (raw bytes, so
/// that tests can send anything) and the right `Accept`.
async fn get(sandbox: &Sandbox, path_and_query: &str, authorization: Option<&[u8]>) -> Reply {
    let mut request = request(sandbox, Method::GET, path_and_query).header(ACCEPT, SERVERLESS);
    if let Some(value) = authorization {
        let value = HeaderValue::from_bytes(value).expect("a valid header value");
        request = request.header(AUTHORIZATION, value);
    }
    Reply::of(request).await
}

/// GET the restore jobs with `Authorization: <authorization>`.
async fn get_jobs(sandbox: &Sandbox, authorization: &str) -> Reply {
    get(sandbox, &jobs(), Some(authorization.as_bytes())).await
}

/// GET the restore jobs with `Authorization: Bearer <token>`.
async fn get_jobs_with_token(sandbox: &Sandbox, token: &str) -> Reply {
    get_jobs(sandbox, &format!("Bearer {token}")).await
}

fn assert_unauthorized(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    assert_eq!(reply.json["errorCode"], "UNAUTHORIZED");
    assert_eq!(reply.json["error"], 401);
    assert_eq!(reply.json["reason"], "Unauthorized");
    assert!(reply.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

// --- Digest, computed by hand -------------------------------------------

/// The value of `name` in a challenge: `name="value"` or `name=token`.
fn param(challenge: &str, name: &str) -> Option<String> {
    let start = challenge.find(&format!(" {name}="))? + name.len() + 2;
    let rest = &challenge[start..];
    Some(match rest.strip_prefix('"') {
        Some(quoted) => quoted[..quoted.find('"')?].to_owned(),
        None => rest.split(',').next()?.trim().to_owned(),
    })
}

fn hash(algorithm: &str, data: &str) -> String {
    let bytes = match algorithm {
        "MD5" => Md5::digest(data.as_bytes()).to_vec(),
        "SHA-256" => Sha256::digest(data.as_bytes()).to_vec(),
        other => panic!("unexpected algorithm {other}"),
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `Authorization: Digest ...` answering `challenge` for GET `uri`, as a
/// client holding `private_key` computes it: response =
/// H(H(user:realm:password):nonce:nc:cnonce:auth:H(GET:uri)).
fn digest_header(challenge: &str, uri: &str, nc: u32, private_key: &str) -> String {
    let realm = param(challenge, "realm").expect("realm");
    let nonce = param(challenge, "nonce").expect("nonce");
    let opaque = param(challenge, "opaque").expect("opaque");
    let algorithm = param(challenge, "algorithm").expect("algorithm");
    let nc = format!("{nc:08x}");
    let cnonce = "0a4f113b";
    let ha1 = hash(&algorithm, &format!("{PUBLIC_KEY}:{realm}:{private_key}"));
    let ha2 = hash(&algorithm, &format!("GET:{uri}"));
    let response = hash(
        &algorithm,
        &format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"),
    );
    format!(
        "Digest username=\"{PUBLIC_KEY}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", \
         algorithm={algorithm}, response=\"{response}\", qop=auth, nc={nc}, \
         cnonce=\"{cnonce}\", opaque=\"{opaque}\""
    )
}

async fn digest_sandbox(algorithm: DigestAlgorithm) -> Sandbox {
    Sandbox::builder()
        .digest_key(PUBLIC_KEY, PRIVATE_KEY)
        .digest_key("other-key", "other-private")
        .digest_algorithm(algorithm)
        .start()
        .await
        .expect("start")
}

/// A Digest sandbox and the challenge of its first, unauthenticated request.
async fn challenged(algorithm: DigestAlgorithm) -> (Sandbox, String) {
    let sandbox = digest_sandbox(algorithm).await;
    let digest = challenge(&sandbox).await;
    (sandbox, digest)
}

/// GET the restore jobs with the Digest credentials that answer `challenge` with count
/// `nc` and `private_key`.
async fn get_jobs_with_digest(
    sandbox: &Sandbox,
    challenge: &str,
    nc: u32,
    private_key: &str,
) -> Reply {
    get_jobs(sandbox, &digest_header(challenge, &jobs(), nc, private_key)).await
}

/// The Digest challenge of an unauthenticated request.
async fn challenge(sandbox: &Sandbox) -> String {
    let refused = get(sandbox, &jobs(), None).await;
    assert_unauthorized(&refused);
    refused.challenges()[0].clone()
}

#[tokio::test]
async fn digest_md5_challenge_then_success() {
    let sandbox = digest_sandbox(DigestAlgorithm::Md5).await;
    let refused = get(&sandbox, &jobs(), None).await;
    assert_unauthorized(&refused);
    assert_eq!(refused.challenges().len(), 2, "{:?}", refused.challenges());
    let digest = &refused.challenges()[0];
    let nonce = param(digest, "nonce").expect("nonce");
    let opaque = param(digest, "opaque").expect("opaque");
    assert_eq!(
        *digest,
        format!(
            "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"{nonce}\", \
             opaque=\"{opaque}\", algorithm=MD5, qop=\"auth\", stale=false"
        )
    );
    assert_eq!(DIGEST_REALM, "MMS Public API");
    assert_eq!(refused.challenges()[1], "Bearer realm=\"atlas-sandbox\"");

    let ok = get_jobs_with_digest(&sandbox, digest, 1, PRIVATE_KEY).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json["totalCount"], 42);

    // The same nonce with the next count, on a path with a query.
    let uri = format!("{}?itemsPerPage=2&pageNum=3", jobs());
    let next = get(
        &sandbox,
        &uri,
        Some(digest_header(digest, &uri, 2, PRIVATE_KEY).as_bytes()),
    )
    .await;
    assert_eq!(next.status, StatusCode::OK, "{}", next.text);
    assert_eq!(next.json["results"].as_array().map(Vec::len), Some(2));

    // Every 401 issues a fresh nonce.
    let again = challenge(&sandbox).await;
    assert_ne!(param(&again, "nonce"), Some(nonce));
    assert_eq!(param(&again, "opaque"), Some(opaque));
}

#[tokio::test]
async fn digest_sha256_challenge_then_success() {
    let (sandbox, digest) = challenged(DigestAlgorithm::Sha256).await;
    assert!(
        digest.ends_with(", algorithm=SHA-256, qop=\"auth\", stale=false"),
        "{digest}"
    );
    let ok = get_jobs_with_digest(&sandbox, &digest, 1, PRIVATE_KEY).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);

    // MD5 credentials are refused by a SHA-256 sandbox.
    let md5 = digest_header(&digest, &jobs(), 2, PRIVATE_KEY).replace("SHA-256", "MD5");
    assert_unauthorized(&get_jobs(&sandbox, &md5).await);
}

#[tokio::test]
async fn digest_wrong_private_key_is_401_not_stale() {
    let (sandbox, digest) = challenged(DigestAlgorithm::Md5).await;
    let wrong = get_jobs_with_digest(&sandbox, &digest, 1, "not-the-key").await;
    assert_unauthorized(&wrong);
    assert_eq!(
        param(&wrong.challenges()[0], "stale").as_deref(),
        Some("false")
    );
    assert_ne!(
        param(&wrong.challenges()[0], "nonce"),
        param(&digest, "nonce")
    );
    assert!(!wrong.text.contains("not-the-key"));

    // Another key's private key does not fit this public key either.
    let other = get_jobs_with_digest(&sandbox, &digest, 1, "other-private").await;
    assert_unauthorized(&other);

    // An unknown public key.
    let unknown = digest_header(&digest, &jobs(), 1, PRIVATE_KEY)
        .replace(&format!("username=\"{PUBLIC_KEY}\""), "username=\"nobody\"");
    assert_unauthorized(&get_jobs(&sandbox, &unknown).await);
}

#[tokio::test]
async fn digest_replayed_or_lower_nonce_count_is_401() {
    let (sandbox, digest) = challenged(DigestAlgorithm::Md5).await;
    let five = digest_header(&digest, &jobs(), 5, PRIVATE_KEY);
    assert_eq!(get_jobs(&sandbox, &five).await.status, StatusCode::OK);
    let replay = get_jobs(&sandbox, &five).await;
    assert_unauthorized(&replay);
    assert_eq!(
        param(&replay.challenges()[0], "stale").as_deref(),
        Some("false")
    );
    let lower = digest_header(&digest, &jobs(), 4, PRIVATE_KEY);
    assert_unauthorized(&get_jobs(&sandbox, &lower).await);
    let higher = digest_header(&digest, &jobs(), 6, PRIVATE_KEY);
    assert_eq!(get_jobs(&sandbox, &higher).await.status, StatusCode::OK);
}

#[tokio::test]
async fn digest_uri_must_be_the_request_target() {
    let (sandbox, digest) = challenged(DigestAlgorithm::Md5).await;
    let uri = format!("{}?itemsPerPage=2", jobs());
    // A response computed over the real target, but `uri` naming another.
    let header = digest_header(&digest, &uri, 1, PRIVATE_KEY)
        .replace(&format!("uri=\"{uri}\""), &format!("uri=\"{}\"", jobs()));
    assert_unauthorized(&get(&sandbox, &uri, Some(header.as_bytes())).await);
    // Credentials for one target do not fit another.
    let header = digest_header(&digest, &jobs(), 1, PRIVATE_KEY);
    assert_unauthorized(&get(&sandbox, &uri, Some(header.as_bytes())).await);
    // On their own target they are fine (the count was not used up).
    assert_eq!(get_jobs(&sandbox, &header).await.status, StatusCode::OK);
}

#[tokio::test]
async fn digest_expired_nonce_is_401_stale_with_a_new_nonce() {
    let (sandbox, digest) = challenged(DigestAlgorithm::Md5).await;
    let first = digest_header(&digest, &jobs(), 1, PRIVATE_KEY);
    assert_eq!(get_jobs(&sandbox, &first).await.status, StatusCode::OK);

    sandbox.expire_nonces();
    let stale = get_jobs_with_digest(&sandbox, &digest, 2, PRIVATE_KEY).await;
    assert_unauthorized(&stale);
    let renewed = &stale.challenges()[0];
    assert_eq!(param(renewed, "stale").as_deref(), Some("true"));
    assert_ne!(param(renewed, "nonce"), param(&digest, "nonce"));

    // The new nonce works.
    let ok = get_jobs_with_digest(&sandbox, renewed, 1, PRIVATE_KEY).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);

    // A wrong key with a stale nonce learns nothing about staleness.
    let wrong = get_jobs_with_digest(&sandbox, &digest, 3, "nope").await;
    assert_eq!(
        param(&wrong.challenges()[0], "stale").as_deref(),
        Some("false")
    );
}

#[tokio::test]
async fn digest_nonce_lifetime_makes_nonces_stale() {
    let sandbox = Sandbox::builder()
        .digest_key(PUBLIC_KEY, PRIVATE_KEY)
        .nonce_lifetime(Duration::from_millis(300))
        .start()
        .await
        .expect("start");
    let digest = challenge(&sandbox).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let stale = get_jobs_with_digest(&sandbox, &digest, 1, PRIVATE_KEY).await;
    assert_unauthorized(&stale);
    assert_eq!(
        param(&stale.challenges()[0], "stale").as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn without_api_keys_only_the_bearer_challenge_is_sent() {
    let sandbox = Sandbox::start().await.expect("start");
    let refused = get(&sandbox, &jobs(), None).await;
    assert_unauthorized(&refused);
    assert_eq!(refused.challenges(), ["Bearer realm=\"atlas-sandbox\""]);
    sandbox.expire_nonces(); // harmless
    let ok = get_jobs_with_token(&sandbox, sandbox.token()).await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_credentials_are_401_and_the_sandbox_keeps_serving() {
    let (sandbox, digest) = challenged(DigestAlgorithm::Md5).await;
    let good = digest_header(&digest, &jobs(), 1, PRIVATE_KEY);
    let huge_nc = good.replace("nc=00000001", "nc=1ffffffffffffffffffffffffffff");
    let hex_nc = good.replace("nc=00000001", "nc=+1");
    let no_qop = good.replace(", qop=auth", "");
    let no_opaque = good.replace(
        &format!(
            ", opaque=\"{}\"",
            param(&digest, "opaque").unwrap_or_default()
        ),
        "",
    );
    let bad: Vec<Vec<u8>> = vec![
        b"Digest".to_vec(),
        b"Digest ".to_vec(),
        b"Digest username".to_vec(),
        b"Digest username=\"unterminated".to_vec(),
        b"Digest a=1, a=2".to_vec(),
        b"Digest username=\"\xff\xfe\"".to_vec(),
        b"\xff\xfe\xfd".to_vec(),
        b"Basic !!!!".to_vec(),
        b"Bearer".to_vec(),
        huge_nc.into_bytes(),
        hex_nc.into_bytes(),
        no_qop.into_bytes(),
        no_opaque.into_bytes(),
        format!("Digest {}", "x=y, ".repeat(2000)).into_bytes(),
        format!(
            "Digest {}",
            (0..5000)
                .map(|i| format!("p{i}=v"))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .into_bytes(),
    ];
    for value in bad {
        let reply = get(&sandbox, &jobs(), Some(&value)).await;
        assert_unauthorized(&reply);
        assert_eq!(reply.challenges().len(), 2);
    }
    // None of those used up the good credentials' count.
    assert_eq!(get_jobs(&sandbox, &good).await.status, StatusCode::OK);
}

// --- OAuth 2.0 client credentials ----------------------------------------

async fn oauth_sandbox(lifetime: Option<Duration>) -> Sandbox {
    let mut builder = Sandbox::builder()
        .service_account(CLIENT_ID, CLIENT_SECRET)
        .service_account("mdb_sa_id_other", "other-secret");
    if let Some(lifetime) = lifetime {
        builder = builder.token_lifetime(lifetime);
    }
    builder.start().await.expect("start")
}

/// POST `path` with Basic `client_id:secret` (if any) and `body` as a form.
async fn post_form(
    sandbox: &Sandbox,
    path: &str,
    client: Option<(&str, &str)>,
    body: &str,
) -> Reply {
    let mut request = request(sandbox, Method::POST, path)
        .header(CONTENT_TYPE, FORM)
        .header(ACCEPT, "application/json")
        .body(body.to_owned());
    if let Some((id, secret)) = client {
        request = request.basic_auth(id, Some(secret));
    }
    Reply::of(request).await
}

/// Asks the token endpoint for an access token for `client`.
async fn request_token(sandbox: &Sandbox, client: (&str, &str)) -> Reply {
    post_form(
        sandbox,
        TOKEN_PATH,
        Some(client),
        "grant_type=client_credentials",
    )
    .await
}

async fn access_token(sandbox: &Sandbox, client: (&str, &str)) -> String {
    let reply = request_token(sandbox, client).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.json["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// `token` was refused for the reason `because`, which the detail names without showing
/// the token.
fn assert_token_refused(reply: &Reply, because: &str, token: &str) {
    assert_unauthorized(reply);
    assert!(
        reply.json["detail"]
            .as_str()
            .is_some_and(|d| d.contains(because)),
        "{}",
        reply.text
    );
    assert!(!reply.text.contains(token));
}

fn assert_oauth_error(reply: &Reply, status: u16, error: &str) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    assert_eq!(reply.json["error"], error, "{}", reply.text);
    assert!(reply.json["error_description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    let basic = reply.challenges() == ["Basic realm=\"atlas-sandbox\""];
    assert_eq!(basic, status == 401, "{:?}", reply.challenges());
}

#[tokio::test]
async fn token_request_succeeds_with_the_client_credentials() {
    let sandbox = oauth_sandbox(None).await;
    let reply = request_token(&sandbox, (CLIENT_ID, CLIENT_SECRET)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(
        reply.headers.get(CONTENT_TYPE).map(HeaderValue::as_bytes),
        Some(&b"application/json"[..])
    );
    assert_eq!(reply.json["token_type"], "Bearer");
    assert_eq!(reply.json["expires_in"], 3600);
    let token = reply.json["access_token"].as_str().unwrap_or("");
    assert!(!token.is_empty());
    assert_ne!(token, sandbox.token());

    let second = access_token(&sandbox, (CLIENT_ID, CLIENT_SECRET)).await;
    assert_ne!(second, token, "tokens are unique");
    assert_eq!(sandbox.live_token_count(), 2);
    assert_eq!(sandbox.token_request_count(), 2);

    let ok = get_jobs_with_token(&sandbox, token).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    // The static token still works next to issued ones.
    let ok = get_jobs_with_token(&sandbox, sandbox.token()).await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn token_request_errors_follow_oauth() {
    let sandbox = oauth_sandbox(None).await;
    let client = Some((CLIENT_ID, CLIENT_SECRET));
    let grant = "grant_type=client_credentials";
    let repeated = format!("{grant}&{grant}");
    // (client credentials, form, status, OAuth error)
    let forms = [
        (Some((CLIENT_ID, "wrong")), grant, 401, "invalid_client"),
        // Another account's secret.
        (
            Some((CLIENT_ID, "other-secret")),
            grant,
            401,
            "invalid_client",
        ),
        (None, grant, 401, "invalid_client"),
        (client, "scope=x", 400, "invalid_request"),
        (client, "", 400, "invalid_request"),
        (client, repeated.as_str(), 400, "invalid_request"),
        (client, "grant_type=password", 400, "unsupported_grant_type"),
    ];
    for (client, form, status, error) in forms {
        let reply = post_form(&sandbox, TOKEN_PATH, client, form).await;
        assert_oauth_error(&reply, status, error);
        // The secret never shows up in an answer.
        assert!(!reply.text.contains(CLIENT_SECRET));
    }

    let token_request = || request(&sandbox, Method::POST, TOKEN_PATH);
    // Not a form.
    let json = token_request()
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"grant_type":"client_credentials"}"#);
    assert_oauth_error(&Reply::of(json).await, 400, "invalid_request");

    // Malformed Basic credentials and a non-UTF-8 body.
    for authorization in [&b"Basic !!!"[..], b"Basic", b"Basic /w==", b"\xff"] {
        let malformed = token_request()
            .header(
                AUTHORIZATION,
                HeaderValue::from_bytes(authorization).expect("value"),
            )
            .header(CONTENT_TYPE, FORM)
            .body(grant);
        assert_oauth_error(&Reply::of(malformed).await, 401, "invalid_client");
    }
    let binary = token_request()
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .header(CONTENT_TYPE, FORM)
        .body(vec![0xff, 0xfe, b'=']);
    assert_oauth_error(&Reply::of(binary).await, 400, "invalid_request");

    // No token was issued.
    assert_eq!(sandbox.live_token_count(), 0);
    assert_eq!(sandbox.token_request_count(), 13);

    // Other methods are not served.
    let get_token = get(&sandbox, TOKEN_PATH, None).await;
    assert_eq!(get_token.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(sandbox.token_request_count(), 13);
}

#[tokio::test]
async fn access_token_is_accepted_until_it_expires() {
    let sandbox = oauth_sandbox(Some(Duration::from_secs(1))).await;
    let reply = request_token(&sandbox, (CLIENT_ID, CLIENT_SECRET)).await;
    assert_eq!(reply.json["expires_in"], 1);
    let token = reply.json["access_token"].as_str().unwrap_or("").to_owned();
    let bearer = format!("Bearer {token}");
    assert_eq!(get_jobs(&sandbox, &bearer).await.status, StatusCode::OK);
    assert_eq!(sandbox.live_token_count(), 1);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let expired = get_jobs(&sandbox, &bearer).await;
    assert_token_refused(&expired, "expired", &token);
    assert_eq!(sandbox.live_token_count(), 0);
}

#[tokio::test]
async fn a_zero_lifetime_issues_tokens_that_are_already_expired() {
    let sandbox = oauth_sandbox(Some(Duration::ZERO)).await;
    let reply = request_token(&sandbox, (CLIENT_ID, CLIENT_SECRET)).await;
    assert_eq!(reply.json["expires_in"], 1);
    let token = reply.json["access_token"].as_str().unwrap_or("");
    let refused = get_jobs_with_token(&sandbox, token).await;
    assert_token_refused(&refused, "expired", token);
    assert_eq!(sandbox.live_token_count(), 0);
}

#[tokio::test]
async fn revoked_tokens_are_refused() {
    let sandbox = oauth_sandbox(None).await;
    let client = (CLIENT_ID, CLIENT_SECRET);
    let doomed = access_token(&sandbox, client).await;
    let kept = access_token(&sandbox, client).await;
    let others = access_token(&sandbox, ("mdb_sa_id_other", "other-secret")).await;
    assert_eq!(sandbox.live_token_count(), 3);

    // Wrong client secret: refused, nothing revoked.
    let body = format!("token={doomed}&token_type_hint=access_token");
    let refused = post_form(&sandbox, REVOKE_PATH, Some((CLIENT_ID, "wrong")), &body).await;
    assert_oauth_error(&refused, 401, "invalid_client");
    // Another client's token: refused, nothing revoked.
    let foreign = format!("token={others}&token_type_hint=access_token");
    let crossed = post_form(&sandbox, REVOKE_PATH, Some(client), &foreign).await;
    assert_oauth_error(&crossed, 400, "invalid_request");
    let missing = post_form(
        &sandbox,
        REVOKE_PATH,
        Some(client),
        "token_type_hint=access_token",
    )
    .await;
    assert_oauth_error(&missing, 400, "invalid_request");
    assert_eq!(sandbox.live_token_count(), 3);

    let revoked = post_form(&sandbox, REVOKE_PATH, Some(client), &body).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.text);
    assert_eq!(revoked.text, "");
    assert_eq!(sandbox.live_token_count(), 2);

    let use_revoked = get_jobs_with_token(&sandbox, &doomed).await;
    assert_token_refused(&use_revoked, "revoked", &doomed);
    let use_kept = get_jobs_with_token(&sandbox, &kept).await;
    assert_eq!(use_kept.status, StatusCode::OK);

    // Revoking again, or an unknown token, is not an error (RFC 7009).
    let again = post_form(&sandbox, REVOKE_PATH, Some(client), &body).await;
    assert_eq!(again.status, StatusCode::OK);
    let unknown = post_form(&sandbox, REVOKE_PATH, Some(client), "token=never-issued").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(sandbox.live_token_count(), 2);
    assert_eq!(sandbox.revoke_count(), 6);
    assert_eq!(sandbox.token_request_count(), 3);
}

#[tokio::test]
async fn token_and_revoke_requests_are_recorded() {
    let sandbox = oauth_sandbox(None).await;
    let token = access_token(&sandbox, (CLIENT_ID, CLIENT_SECRET)).await;
    post_form(
        &sandbox,
        REVOKE_PATH,
        Some((CLIENT_ID, CLIENT_SECRET)),
        &format!("token={token}"),
    )
    .await;
    assert_eq!(sandbox.request_count(), 2);
    let requests = sandbox.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, TOKEN_PATH);
    assert_eq!(requests[0].body, b"grant_type=client_credentials");
    assert!(requests[0]
        .header("authorization")
        .is_some_and(|value| value.starts_with("Basic ")));
    assert_eq!(requests[1].path, REVOKE_PATH);
    assert_eq!(requests[1].header("content-type"), Some(FORM));
}
