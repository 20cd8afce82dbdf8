//! HTTP Digest access authentication (RFC 7616) with Atlas programmatic API
//! keys: the public key is the username, the private key the password.
//!
//! The sandbox issues a nonce with every challenge and remembers, per nonce,
//! when it was issued and the highest nonce count (`nc`) accepted with it.
//! Only `qop=auth` is supported, with MD5 or SHA-256 (not their `-sess`
//! variants, nor `userhash`).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use md5::Md5;
use sha2::{Digest, Sha256};

use super::ids::{self, Ids};
use super::Secret;

/// The realm Atlas uses for Digest authentication.
pub(crate) const REALM: &str = crate::DIGEST_REALM;

/// How many nonces the sandbox remembers; past that, the oldest are forgotten
/// (and then count as never issued).
pub(crate) const MAX_NONCES: usize = 10_000;

/// The hash function of HTTP Digest authentication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// `algorithm=MD5`, what Atlas announces.
    #[default]
    Md5,
    /// `algorithm=SHA-256`.
    Sha256,
}

impl DigestAlgorithm {
    /// The `algorithm` token of challenges and credentials.
    pub(crate) fn token(self) -> &'static str {
        match self {
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Sha256 => "SHA-256",
        }
    }

    /// Lowercase hex of the hash of `data`.
    pub(crate) fn hex(self, data: &str) -> String {
        match self {
            DigestAlgorithm::Md5 => ids::hex(&Md5::digest(data.as_bytes())),
            DigestAlgorithm::Sha256 => ids::hex(&Sha256::digest(data.as_bytes())),
        }
    }

    /// The `response` a client holding `password` computes for these
    /// credentials (`qop=auth`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn response(
        self,
        username: &str,
        password: &str,
        method: &str,
        uri: &str,
        nonce: &str,
        nc: &str,
        cnonce: &str,
        qop: &str,
    ) -> String {
        let ha1 = self.hex(&format!("{username}:{REALM}:{password}"));
        let ha2 = self.hex(&format!("{method}:{uri}"));
        self.hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}"))
    }
}

/// Why Digest credentials were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// For the `detail` of the 401; never echoes a credential.
    pub detail: &'static str,
    /// The credentials were right but the nonce is too old: the new
    /// challenge says `stale=true`.
    pub stale: bool,
}

fn refuse(detail: &'static str) -> Refusal {
    Refusal {
        detail,
        stale: false,
    }
}

/// One issued nonce.
#[derive(Debug)]
struct NonceEntry {
    issued: Instant,
    /// The highest `nc` accepted so far; 0 before the first use.
    last_nc: u64,
    /// Made stale by [`DigestAuth::expire_nonces`].
    expired: bool,
}

/// Issued nonces, oldest first in `order`.
#[derive(Debug, Default)]
struct Nonces {
    entries: HashMap<String, NonceEntry>,
    order: VecDeque<String>,
}

/// The Digest side of the sandbox: its API keys and the nonces it issued.
#[derive(Debug)]
pub(crate) struct DigestAuth {
    keys: HashMap<String, Secret>,
    algorithm: DigestAlgorithm,
    nonce_lifetime: Duration,
    opaque: String,
    ids: Ids,
    nonces: Mutex<Nonces>,
}

impl DigestAuth {
    /// `keys` are (public key, private key) pairs; a repeated public key keeps
    /// its last private key.
    pub(crate) fn new(
        keys: Vec<(String, Secret)>,
        algorithm: DigestAlgorithm,
        nonce_lifetime: Duration,
    ) -> Self {
        let ids = Ids::new();
        DigestAuth {
            keys: keys.into_iter().collect(),
            algorithm,
            nonce_lifetime,
            opaque: ids.fixed("opaque")[..32].to_owned(),
            ids,
            nonces: Mutex::new(Nonces::default()),
        }
    }

    fn nonces(&self) -> MutexGuard<'_, Nonces> {
        self.nonces.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Issues a fresh nonce and formats the `WWW-Authenticate` challenge that
    /// carries it.
    pub(crate) fn challenge(&self, stale: bool) -> String {
        let nonce = self.ids.fresh("nonce")[..32].to_owned();
        {
            let mut nonces = self.nonces();
            nonces.entries.insert(
                nonce.clone(),
                NonceEntry {
                    issued: Instant::now(),
                    last_nc: 0,
                    expired: false,
                },
            );
            nonces.order.push_back(nonce.clone());
            while nonces.order.len() > MAX_NONCES {
                if let Some(oldest) = nonces.order.pop_front() {
                    nonces.entries.remove(&oldest);
                }
            }
        }
        format!(
            "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", opaque=\"{}\", \
             algorithm={}, qop=\"auth\", stale={stale}",
            self.opaque,
            self.algorithm.token(),
        )
    }

    /// Makes every nonce issued so far stale.
    pub(crate) fn expire_nonces(&self) {
        for entry in self.nonces().entries.values_mut() {
            entry.expired = true;
        }
    }

    /// Checks the credentials of `Authorization: Digest <params>` for a
    /// request of `method` to `path_and_query` (as received), and returns
    /// the public key.
    pub(crate) fn verify(
        &self,
        method: &str,
        path_and_query: &str,
        params: &str,
    ) -> Result<String, Refusal> {
        let params = parse_params(params)
            .ok_or_else(|| refuse("The Digest credentials could not be parsed."))?;
        let get = |name: &str| {
            params
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let required = |name: &str, detail: &'static str| {
            get(name)
                .filter(|value| !value.is_empty())
                .ok_or_else(|| refuse(detail))
        };

        let username = required("username", "The Digest credentials name no username.")?;
        if get("userhash").is_some_and(|value| value.eq_ignore_ascii_case("true")) {
            return Err(refuse("The sandbox does not support userhash=true."));
        }
        let password = self
            .keys
            .get(username)
            .ok_or_else(|| refuse("The sandbox knows no API key with this public key."))?;
        if get("realm") != Some(REALM) {
            return Err(refuse("The Digest realm must be \"MMS Public API\"."));
        }
        // RFC 7616: without `algorithm`, MD5 is meant.
        if !get("algorithm")
            .unwrap_or("MD5")
            .eq_ignore_ascii_case(self.algorithm.token())
        {
            return Err(refuse(
                "The Digest algorithm is not the one the sandbox announced.",
            ));
        }
        let qop = required("qop", "The Digest credentials must say qop=auth.")?;
        if qop != "auth" {
            return Err(refuse("The Digest credentials must say qop=auth."));
        }
        if get("opaque") != Some(self.opaque.as_str()) {
            return Err(refuse(
                "The Digest opaque value is not the one the sandbox sent.",
            ));
        }
        if get("uri") != Some(path_and_query) {
            return Err(refuse(
                "The Digest uri differs from the request's path and query.",
            ));
        }
        let nonce = required("nonce", "The Digest credentials carry no nonce.")?;
        let cnonce = required("cnonce", "The Digest credentials carry no cnonce.")?;
        let nc_text = required("nc", "The Digest credentials carry no nonce count (nc).")?;
        let nc = parse_nc(nc_text)
            .ok_or_else(|| refuse("The Digest nonce count (nc) is not 1 to 16 hex digits."))?;
        let response = required("response", "The Digest credentials carry no response.")?;

        let expected = self.algorithm.response(
            username,
            password.expose(),
            method,
            path_and_query,
            nonce,
            nc_text,
            cnonce,
            qop,
        );

        let mut nonces = self.nonces();
        let entry = nonces
            .entries
            .get_mut(nonce)
            .ok_or_else(|| refuse("The Digest nonce was not issued by this sandbox."))?;
        if !response.eq_ignore_ascii_case(&expected) {
            return Err(refuse(
                "The Digest response does not match: wrong private key or wrong request data.",
            ));
        }
        // Only right credentials learn that their nonce is stale (RFC 7616).
        if entry.expired || entry.issued.elapsed() >= self.nonce_lifetime {
            return Err(Refusal {
                detail: "The Digest nonce has expired: retry with the new nonce.",
                stale: true,
            });
        }
        if nc <= entry.last_nc {
            return Err(refuse(
                "The Digest nonce count (nc) was already used with this nonce.",
            ));
        }
        entry.last_nc = nc;
        Ok(username.to_owned())
    }
}

/// `nc`: 1 to 16 hex digits (the count of RFC 7616 is 8).
fn parse_nc(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(text, 16).ok()
}

/// A `tchar` of RFC 9110.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The most parameters a credentials header may carry (Digest uses about a
/// dozen); more are refused rather than compared pairwise.
const MAX_PARAMS: usize = 64;

/// Parses `name=value, name="quoted \" value", ...` (RFC 9110 auth-params).
///
/// Names come back lowercase, values unquoted. `None` when the list is
/// malformed, names a parameter twice or has more than [`MAX_PARAMS`].
pub(crate) fn parse_params(input: &str) -> Option<Vec<(String, String)>> {
    let blank: &[char] = &[' ', '\t'];
    let mut params: Vec<(String, String)> = Vec::new();
    let mut rest = input;
    loop {
        // Empty list elements (`a=1, , b=2`) are allowed.
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Some(params);
        }
        let name_end = rest.find(|c| !is_tchar(c)).unwrap_or(rest.len());
        if name_end == 0 {
            return None;
        }
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start_matches(blank);
        rest = rest.strip_prefix('=')?.trim_start_matches(blank);
        let value = if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((index, c)) = chars.next() {
                match c {
                    '\\' => value.push(chars.next()?.1),
                    '"' => {
                        end = Some(index + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            rest = quoted.get(end?..)?;
            value
        } else {
            let end = rest.find(|c| !is_tchar(c)).unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            let value = rest[..end].to_owned();
            rest = &rest[end..];
            value
        };
        if params.len() == MAX_PARAMS || params.iter().any(|(known, _)| *known == name) {
            return None;
        }
        params.push((name, value));
        rest = rest.trim_start_matches(blank);
        if !rest.is_empty() {
            rest = rest.strip_prefix(',')?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn parses_auth_params() {
        assert_eq!(
            parse_params(r#"Username="a \"b\"", nc=00000001 ,qop=auth,, uri="/x?y=1,2""#),
            Some(pairs(&[
                ("username", r#"a "b""#),
                ("nc", "00000001"),
                ("qop", "auth"),
                ("uri", "/x?y=1,2"),
            ]))
        );
        assert_eq!(parse_params(""), Some(Vec::new()));
        let many = |n: usize| {
            (0..n)
                .map(|i| format!("p{i}=v"))
                .collect::<Vec<_>>()
                .join(",")
        };
        assert_eq!(
            parse_params(&many(MAX_PARAMS)).map(|p| p.len()),
            Some(MAX_PARAMS)
        );
        assert_eq!(parse_params(&many(MAX_PARAMS + 1)), None);
        assert_eq!(parse_params("ünï=\"ç\""), None);
        assert_eq!(parse_params("u=\"é\""), Some(pairs(&[("u", "é")])));
        for bad in [
            "a",
            "a=",
            "=b",
            "a=\"unterminated",
            "a=\"x\\",
            "a=b c=d",
            "a=1, A=2",
            "a=\"x\"y",
        ] {
            assert_eq!(parse_params(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_nonce_counts() {
        assert_eq!(parse_nc("00000001"), Some(1));
        assert_eq!(parse_nc("ffffffffffffffff"), Some(u64::MAX));
        assert_eq!(parse_nc("1ffffffffffffffff"), None);
        assert_eq!(parse_nc("+1"), None);
        assert_eq!(parse_nc(""), None);
        assert_eq!(parse_nc("0x1"), None);
    }

    /// The worked examples of RFC 7616 §3.9.1, with the sandbox's realm
    /// swapped in by computing A1 by hand.
    #[test]
    fn computes_the_rfc_7616_examples() {
        let h = |algorithm: DigestAlgorithm, data: &str| algorithm.hex(data);
        for (algorithm, expected) in [
            (DigestAlgorithm::Md5, "8ca523f5e9506fed4657c9700eebdbec"),
            (
                DigestAlgorithm::Sha256,
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ] {
            let ha1 = h(algorithm, "Mufasa:http-auth@example.org:Circle of Life");
            let ha2 = h(algorithm, "GET:/dir/index.html");
            let response = h(
                algorithm,
                &format!(
                    "{ha1}:7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v:00000001:\
                     f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ:auth:{ha2}"
                ),
            );
            assert_eq!(response, expected, "{algorithm:?}");
        }
        assert_eq!(
            DigestAlgorithm::Md5.hex(""),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
    }

    fn field<'a>(challenge: &'a str, name: &str) -> &'a str {
        let start = challenge
            .find(&format!("{name}=\""))
            .map_or(0, |i| i + name.len() + 2);
        let len = challenge[start..].find('"').unwrap_or(0);
        &challenge[start..start + len]
    }

    fn credentials(auth: &DigestAuth, challenge: &str, nc: &str, key: &str, uri: &str) -> String {
        let nonce = field(challenge, "nonce");
        let response = auth
            .algorithm
            .response("pub", key, "GET", uri, nonce, nc, "c", "auth");
        format!(
            "username=\"pub\", realm=\"{REALM}\", nonce=\"{nonce}\", uri=\"{uri}\", \
             algorithm={}, response=\"{response}\", qop=auth, nc={nc}, cnonce=\"c\", \
             opaque=\"{}\"",
            auth.algorithm.token(),
            auth.opaque
        )
    }

    #[test]
    fn verifies_counts_and_expires() {
        let auth = DigestAuth::new(
            vec![("pub".to_owned(), Secret::new("priv"))],
            DigestAlgorithm::Sha256,
            Duration::from_secs(300),
        );
        let challenge = auth.challenge(false);
        assert!(challenge.contains("algorithm=SHA-256, qop=\"auth\", stale=false"));
        let ok = credentials(&auth, &challenge, "00000001", "priv", "/p?q=1");
        assert_eq!(auth.verify("GET", "/p?q=1", &ok), Ok("pub".to_owned()));
        // Replayed count, other method, other uri, wrong key.
        assert!(auth.verify("GET", "/p?q=1", &ok).is_err());
        let two = credentials(&auth, &challenge, "00000002", "priv", "/p?q=1");
        assert!(auth.verify("POST", "/p?q=1", &two).is_err());
        assert!(auth.verify("GET", "/p?q=2", &two).is_err());
        let wrong = credentials(&auth, &challenge, "00000002", "nope", "/p?q=1");
        assert_eq!(
            auth.verify("GET", "/p?q=1", &wrong).map_err(|r| r.stale),
            Err(false)
        );
        assert!(auth.verify("GET", "/p?q=1", &two).is_ok());

        auth.expire_nonces();
        let three = credentials(&auth, &challenge, "00000003", "priv", "/p?q=1");
        assert_eq!(
            auth.verify("GET", "/p?q=1", &three).map_err(|r| r.stale),
            Err(true)
        );
        let wrong = credentials(&auth, &challenge, "00000003", "nope", "/p?q=1");
        assert_eq!(
            auth.verify("GET", "/p?q=1", &wrong).map_err(|r| r.stale),
            Err(false)
        );
    }

    #[test]
    fn forgets_the_oldest_nonces_past_the_limit() {
        let auth = DigestAuth::new(Vec::new(), DigestAlgorithm::Md5, Duration::from_secs(1));
        for _ in 0..MAX_NONCES + 5 {
            auth.challenge(false);
        }
        let nonces = auth.nonces();
        assert_eq!(nonces.entries.len(), MAX_NONCES);
        assert_eq!(nonces.order.len(), MAX_NONCES);
    }
}
