//! Atlas CLI profiles: `Client::from_env` (through `ClientBuilder::with_env`) falls back to
//! the Atlas CLI's config file when the environment has no credentials, the variables win
//! over it, and nothing of the file's secrets reaches a message. Every test writes its own
//! config file in a temporary folder and points `XDG_CONFIG_HOME` (or `HOME`) at it through
//! the lookup, so the real home and process environment are never touched.

mod support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use atlas_endpoints_runtime::{AtlasCliProfile, Client, ErrorKind};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

/// A temporary folder, removed when dropped.
struct TempHome(PathBuf);

impl std::ops::Deref for TempHome {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh folder holding `atlascli/config.toml` with `text`.
fn config_home(text: &str) -> TempHome {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "atlas-endpoints-profile-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(dir.join("atlascli")).unwrap();
    std::fs::write(dir.join("atlascli/config.toml"), text).unwrap();
    TempHome(dir)
}

/// The lookup of an environment holding only `vars`.
fn env(vars: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

fn xdg(dir: &std::path::Path) -> (&'static str, String) {
    ("XDG_CONFIG_HOME", dir.display().to_string())
}

const PROFILES: &str = r#"
skip_update_check = true

[default]
  public_api_key = "profilepub"
  private_api_key = "profile-private-hunter2"
  org_id = "5e2211c17a3e5a48f5497de1"
  project_id = "5e2211c17a3e5a48f5497de3"
  ops_manager_url = "http://127.0.0.1:9/"

[ci]
  auth_type = "service_account"
  client_id = "mdb_sa_id_ci"
  client_secret = "mdb_sa_sk_hunter2"
"#;

/// A client from an environment holding `vars` and `XDG_CONFIG_HOME`, which points at a
/// config file of [`PROFILES`].
fn client_with_profiles(vars: &[(&'static str, &str)]) -> Client {
    let home = config_home(PROFILES);
    let mut all = vec![xdg(&home)];
    all.extend(vars.iter().map(|&(name, value)| (name, value.to_owned())));
    Client::builder()
        .with_env(env(all))
        .unwrap()
        .build()
        .unwrap()
}

#[test]
fn without_variables_the_default_profile_is_used() {
    let client = client_with_profiles(&[]);

    let shown = format!("{client:?}");
    assert!(shown.contains("public_key: \"profilepub\""), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert_eq!(client.api_root(), "http://127.0.0.1:9/api/atlas/v2");
}

#[test]
fn mongodb_atlas_profile_selects_another_profile_and_the_base_url_variable_wins() {
    let client = client_with_profiles(&[
        ("MONGODB_ATLAS_PROFILE", "ci"),
        ("MONGODB_ATLAS_BASE_URL", "http://127.0.0.1:7"),
    ]);

    let shown = format!("{client:?}");
    assert!(shown.contains("client_id: \"mdb_sa_id_ci\""), "{shown}");
    assert_eq!(client.api_root(), "http://127.0.0.1:7/api/atlas/v2");
}

#[test]
fn variables_win_over_the_profile() {
    let client = client_with_profiles(&[("MONGODB_ATLAS_ACCESS_TOKEN", "env-token")]);

    assert!(format!("{client:?}").contains("Auth::Bearer"));
    assert_eq!(client.api_root(), "https://cloud.mongodb.com/api/atlas/v2");
}

#[test]
fn the_config_folder_follows_home_without_xdg_config_home() {
    let home = config_home(PROFILES);
    // `$HOME/.config/atlascli/config.toml` on Linux.
    std::fs::create_dir_all(home.join(".config")).unwrap();
    std::fs::rename(home.join("atlascli"), home.join(".config/atlascli")).unwrap();
    let lookup = env(vec![("HOME", home.display().to_string())]);

    assert_eq!(
        AtlasCliProfile::config_path(&lookup),
        Some(home.join(".config/atlascli/config.toml"))
    );
    let client = Client::builder().with_env(lookup).unwrap().build().unwrap();
    assert!(format!("{client:?}").contains("profilepub"));
}

#[test]
fn no_file_and_no_variables_is_the_usual_error() {
    let home = config_home("");
    std::fs::remove_file(home.join("atlascli/config.toml")).unwrap();

    let error = Client::builder()
        .with_env(env(vec![xdg(&home)]))
        .unwrap_err();

    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(
        error
            .to_string()
            .contains("no credentials in the environment"),
        "{error}"
    );
}

#[test]
fn a_named_profile_that_is_missing_says_which_profiles_exist() {
    let home = config_home(PROFILES);
    let lookup = env(vec![
        xdg(&home),
        ("MONGODB_ATLAS_PROFILE", "prod".to_owned()),
    ]);

    let error = Client::builder().with_env(lookup).unwrap_err();

    let message = error.to_string();
    assert!(message.contains("no profile `prod`"), "{message}");
    assert!(message.contains("ci, default"), "{message}");
}

#[test]
fn secrets_kept_in_the_keyring_or_broken_files_give_errors_that_show_no_value() {
    // The CLI moved the private key to the keyring: the file has half a pair.
    let half = config_home("[default]\npublic_api_key = \"profilepub\"\n");
    let error = Client::builder()
        .with_env(env(vec![xdg(&half)]))
        .unwrap_err();
    assert!(error.to_string().contains("keyring"), "{error}");

    // A syntax error on the line of a secret: the message gives the line, not the text.
    let broken = config_home("[default]\nprivate_api_key = \"hunter2\nclient_id = 3\n");
    let error = Client::builder()
        .with_env(env(vec![xdg(&broken)]))
        .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("not valid TOML (line 2)"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");

    let user = config_home("[default]\nauth_type = \"user_account\"\naccess_token = \"hunter2\"\n");
    let error = Client::builder()
        .with_env(env(vec![xdg(&user)]))
        .unwrap_err();
    assert!(error.to_string().contains("user account"), "{error}");
    assert!(!format!("{error:?}").contains("hunter2"));
}

#[tokio::test]
async fn a_service_account_profile_calls_the_server_it_names() {
    let token = serde_json::json!({
        "access_token": "profile-token", "token_type": "Bearer", "expires_in": 3600
    });
    let server = support::token_server(200, token).await;
    Mock::given(method("GET"))
        .and(path("/api/atlas/v2/"))
        .and(header("authorization", "Bearer profile-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    let home = config_home(&format!(
        "[default]\nclient_id = \"mdb_sa_id_x\"\nclient_secret = \"mdb_sa_sk_x\"\nops_manager_url = \"{}\"\n",
        server.uri()
    ));
    let profile = AtlasCliProfile::from_file(home.join("atlascli/config.toml"), "default").unwrap();
    assert!(profile.is_service_account());

    let client = Client::builder()
        .atlas_cli_profile(&profile)
        .build()
        .unwrap();
    let answer = support::get_root(&client).await.unwrap();

    assert_eq!(answer, serde_json::json!({"ok": true}));
}
