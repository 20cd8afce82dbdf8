//! Atlas CLI profiles: the credentials, server and ids that `atlas config init` (or `atlas
//! auth login --profile`) wrote to the Atlas CLI's config file, read so that a machine where
//! the CLI works needs no other set-up.
//!
//! The file is `config.toml` in the `atlascli` folder of the user's configuration directory
//! (`$XDG_CONFIG_HOME/atlascli/config.toml`, else `~/.config/atlascli/config.toml` on Linux;
//! `~/Library/Application Support/atlascli/` on macOS; `%AppData%\atlascli\` on Windows, as
//! Go's `os.UserConfigDir`, which the CLI uses, finds it). Each profile is a table:
//!
//! ```toml
//! [default]
//! public_api_key = "abcdefgh"
//! private_api_key = "..."
//! org_id = "5e2211c17a3e5a48f5497de1"
//! project_id = "5e2211c17a3e5a48f5497de3"
//!
//! [ci]
//! client_id = "mdb_sa_id_..."
//! client_secret = "mdb_sa_sk_..."
//! ops_manager_url = "https://cloud.mongodb.com/"
//! ```
//!
//! Read: `public_api_key`/`private_api_key` (an API key, answered with HTTP Digest),
//! `client_id`/`client_secret` (a service account), `ops_manager_url` (the server; `service =
//! "cloudgov"` means `https://cloud.mongodbgov.com`), `org_id`, `project_id`, and `auth_type`
//! (`api_keys`, `service_account`) where the CLI wrote one. Not read: the tokens of a user
//! account (`atlas auth login`, `auth_type = "user_account"`), which the CLI refreshes itself,
//! and secrets the CLI keeps in the operating system's keyring instead of the file (no keyring
//! crate reads every platform's store without a running service); both are configuration
//! errors that say so.

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::error::{Error, Result};

/// The profile used when none is named (the Atlas CLI's own default).
pub const DEFAULT_PROFILE: &str = "default";

/// The server of a profile whose `service` is `cloudgov` (Atlas for Government).
const GOV_BASE_URL: &str = "https://cloud.mongodbgov.com";

/// One profile of the Atlas CLI's config file; see [`Client::from_atlas_cli_profile`](crate::Client::from_atlas_cli_profile).
///
/// Its `Debug` output never shows the private key or the client secret.
#[derive(Clone)]
pub struct AtlasCliProfile {
    name: String,
    path: PathBuf,
    pub(crate) credentials: ProfileCredentials,
    base_url: Option<String>,
    org_id: Option<String>,
    project_id: Option<String>,
}

/// The credentials a profile holds.
#[derive(Clone)]
pub(crate) enum ProfileCredentials {
    ApiKey(String, SecretString),
    ServiceAccount(String, SecretString),
}

impl AtlasCliProfile {
    /// Where the Atlas CLI keeps its config file, from the variables `lookup` gives
    /// (`XDG_CONFIG_HOME` and `HOME` on Linux and other Unixes, `HOME` on macOS, `APPDATA`
    /// on Windows); `None` when they do not say.
    pub fn config_path(lookup: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
        let set = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let dir = if cfg!(windows) {
            PathBuf::from(set("APPDATA")?)
        } else if cfg!(target_os = "macos") {
            Path::new(&set("HOME")?).join("Library/Application Support")
        } else {
            match set("XDG_CONFIG_HOME") {
                Some(dir) => PathBuf::from(dir),
                None => Path::new(&set("HOME")?).join(".config"),
            }
        };
        Some(dir.join("atlascli").join("config.toml"))
    }

    /// Profile `name` of the config file at `path`.
    ///
    /// Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) naming the file and the
    /// profile when the file cannot be read or parsed, has no such profile, or the profile
    /// holds no usable credentials; the message never shows a value of the file.
    pub fn from_file(path: impl AsRef<Path>, name: &str) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| {
            Error::config(format!(
                "cannot read the Atlas CLI config file {}: {error}",
                path.display()
            ))
        })?;
        Self::parse(&text, path, name)
    }

    fn parse(text: &str, path: &Path, name: &str) -> Result<Self> {
        let where_ = || format!("profile `{name}` of {}", path.display());
        let table: toml::Table = text.parse().map_err(|error: toml::de::Error| {
            // Not the parser's message: it quotes the line, which may hold a secret.
            let line = error
                .span()
                .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            Error::config(match line {
                Some(line) => format!("{} is not valid TOML (line {line})", path.display()),
                None => format!("{} is not valid TOML", path.display()),
            })
        })?;
        let Some(toml::Value::Table(profile)) = table.get(name) else {
            let names: Vec<&str> = table
                .iter()
                .filter(|(_, value)| value.is_table())
                .map(|(key, _)| key.as_str())
                .collect();
            return Err(Error::config(format!(
                "the Atlas CLI config file {} has no profile `{name}` (it has: {})",
                path.display(),
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )));
        };
        let text_of = |key: &str| -> Result<Option<String>> {
            match profile.get(key) {
                None => Ok(None),
                Some(toml::Value::String(value)) if value.trim().is_empty() => Ok(None),
                Some(toml::Value::String(value)) => Ok(Some(value.clone())),
                Some(_) => Err(Error::config(format!(
                    "`{key}` of {} is not a string",
                    where_()
                ))),
            }
        };
        let credential = |key: &'static str| -> Result<Option<String>> {
            match text_of(key)? {
                Some(value) if !value.bytes().all(|byte| byte.is_ascii_graphic()) => {
                    Err(Error::config(format!(
                        "`{key}` of {} has spaces, line breaks or other control characters; \
                         credentials are visible ASCII only",
                        where_()
                    )))
                }
                value => Ok(value),
            }
        };
        let pair =
            |first: &'static str, second: &'static str| -> Result<Option<(String, String)>> {
                match (credential(first)?, credential(second)?) {
                    (Some(a), Some(b)) => Ok(Some((a, b))),
                    (None, None) => Ok(None),
                    (Some(_), None) => Err(missing_in_profile(&where_(), first, second)),
                    (None, Some(_)) => Err(missing_in_profile(&where_(), second, first)),
                }
            };
        let auth_type = text_of("auth_type")?;
        let service_account = pair("client_id", "client_secret")?;
        let api_key = pair("public_api_key", "private_api_key")?;
        let credentials = match (auth_type.as_deref(), service_account, api_key) {
            (Some("user_account"), _, _) => {
                return Err(Error::config(format!(
                    "{} is a user account (`atlas auth login`), whose tokens the Atlas CLI \
                     refreshes itself; use an API key or a service account, or set \
                     MONGODB_ATLAS_ACCESS_TOKEN",
                    where_()
                )))
            }
            (Some("api_keys"), _, Some((public, private)))
            | (None, None, Some((public, private))) => {
                ProfileCredentials::ApiKey(public, SecretString::from(private))
            }
            (Some("service_account") | None, Some((id, secret)), _) => {
                ProfileCredentials::ServiceAccount(id, SecretString::from(secret))
            }
            _ => {
                return Err(Error::config(format!(
                    "{} holds no API key (`public_api_key`, `private_api_key`) or service \
                     account (`client_id`, `client_secret`); the Atlas CLI may keep them in \
                     the operating system's keyring, which is not read: set the \
                     MONGODB_ATLAS_* variables instead",
                    where_()
                )))
            }
        };
        let base_url = match (text_of("ops_manager_url")?, text_of("service")?.as_deref()) {
            (Some(url), _) => Some(url),
            (None, Some("cloudgov")) => Some(GOV_BASE_URL.to_owned()),
            (None, _) => None,
        };
        Ok(AtlasCliProfile {
            name: name.to_owned(),
            path: path.to_owned(),
            credentials,
            base_url,
            org_id: text_of("org_id")?,
            project_id: text_of("project_id")?,
        })
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The server (`ops_manager_url`), when the profile names one.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The organization id (`org_id`), when the profile has one.
    pub fn org_id(&self) -> Option<&str> {
        self.org_id.as_deref()
    }

    /// The project id (`project_id`), when the profile has one.
    pub fn project_id(&self) -> Option<&str> {
        self.project_id.as_deref()
    }

    /// Whether the profile holds a service account rather than an API key.
    pub fn is_service_account(&self) -> bool {
        matches!(self.credentials, ProfileCredentials::ServiceAccount(..))
    }
}

fn missing_in_profile(where_: &str, present: &str, missing: &str) -> Error {
    Error::config(format!(
        "{where_} has `{present}` but not `{missing}`; the Atlas CLI may keep `{missing}` in \
         the operating system's keyring, which is not read: set the MONGODB_ATLAS_* variables \
         instead"
    ))
}

impl fmt::Debug for AtlasCliProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, id) = match &self.credentials {
            ProfileCredentials::ApiKey(public, _) => ("api_key", public),
            ProfileCredentials::ServiceAccount(id, _) => ("service_account", id),
        };
        f.debug_struct("AtlasCliProfile")
            .field("name", &self.name)
            .field("path", &self.path)
            .field(kind, id)
            .field("secret", &"<redacted>")
            .field("base_url", &self.base_url)
            .field("org_id", &self.org_id)
            .field("project_id", &self.project_id)
            .finish()
    }
}
