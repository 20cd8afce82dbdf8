//! HTTP Basic credentials (RFC 7617), as OAuth clients send their client id
//! and secret.

use axum::http::{header, HeaderMap};

/// The `user:password` pair of an `Authorization: Basic <base64>` header.
///
/// `None` when the header is missing, of another scheme, not valid base64,
/// not UTF-8 once decoded, or without a `:`. The user is everything before
/// the first `:`, the password everything after it, both taken as they are
/// (no percent-decoding).
pub(crate) fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = std::str::from_utf8(headers.get(header::AUTHORIZATION)?.as_bytes()).ok()?;
    let (scheme, encoded) = value.trim().split_once([' ', '\t'])?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(decode_base64(encoded.trim())?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Decodes standard base64 (`+`, `/`), with or without `=` padding.
///
/// `None` on any other character, misplaced padding or an impossible length.
pub(crate) fn decode_base64(input: &str) -> Option<Vec<u8>> {
    let data = input.trim_end_matches('=');
    let padding = input.len() - data.len();
    if padding > 2 || (padding > 0 && input.len() % 4 != 0) || data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for byte in data.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tests::headers;

    #[test]
    fn decodes_base64() {
        assert_eq!(decode_base64("").as_deref(), Some(&b""[..]));
        assert_eq!(decode_base64("Zg==").as_deref(), Some(&b"f"[..]));
        assert_eq!(decode_base64("Zm8=").as_deref(), Some(&b"fo"[..]));
        assert_eq!(decode_base64("Zm9v").as_deref(), Some(&b"foo"[..]));
        assert_eq!(decode_base64("Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(decode_base64("+/8=").as_deref(), Some(&[0xfb, 0xff][..]));
        for bad in ["Z", "Zg===", "Zg=", "Zm9v!", "Zg==Zg==", "Z=g=", "é"] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_user_and_password() {
        // base64("id:se:cret")
        assert_eq!(
            credentials(&headers(b"Basic aWQ6c2U6Y3JldA==")),
            Some(("id".to_owned(), "se:cret".to_owned()))
        );
        assert_eq!(
            credentials(&headers(b"basic  aWQ6c2U6Y3JldA== ")),
            Some(("id".to_owned(), "se:cret".to_owned()))
        );
        // base64("no-colon"), then not base64, not UTF-8, another scheme.
        for bad in [
            &b"Basic bm8tY29sb24="[..],
            b"Basic %%%",
            b"Basic /w==",
            b"Bearer aWQ6c2U6Y3JldA==",
            b"Basic",
            b"\xff\xfe",
        ] {
            assert_eq!(credentials(&headers(bad)), None);
        }
        assert_eq!(credentials(&HeaderMap::new()), None);
    }
}
