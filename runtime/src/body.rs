//! Reading an answer's body whole, but never past a size cap: a server that sends an endless
//! body costs at most the cap in memory.

use bytes::{Bytes, BytesMut};

use crate::error::{Error, Result};

/// Reads the body of `response` to its end, failing with
/// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge) as soon as it
/// announces (`Content-Length`) or reaches more than `cap` bytes; nothing past the cap is
/// kept. `transport` maps a failure of reading.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    transport: impl Fn(reqwest::Error) -> Error,
) -> Result<Bytes> {
    let status = response.status();
    let announced = response.content_length();
    if let Some(length) = announced.filter(|&length| length > cap as u64) {
        return Err(Error::too_large(cap, status, Some(length)));
    }
    // Most bodies arrive as one chunk, kept as it is; only a second chunk costs a copy. The
    // buffer grows with what arrives, never to what the server announces.
    let mut first: Option<Bytes> = None;
    let mut rest = BytesMut::new();
    let mut len = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(&transport)? {
        len = len.saturating_add(chunk.len());
        if len > cap {
            return Err(Error::too_large(cap, status, None));
        }
        if first.is_none() && rest.is_empty() {
            first = Some(chunk);
            continue;
        }
        if let Some(first) = first.take() {
            rest.reserve(first.len() + chunk.len());
            rest.extend_from_slice(&first);
        }
        rest.extend_from_slice(&chunk);
    }
    Ok(match first {
        Some(first) => first,
        None => rest.freeze(),
    })
}
