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
    // The chunks are kept as they arrive and joined once at the end, into a buffer of the
    // exact size: a body that grows past the cap has cost the cap, not the up to twice as
    // much of a buffer that doubles as it fills (and holds old and new halves while it
    // moves). Most bodies arrive as one chunk, kept as it is.
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut len = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(&transport)? {
        len = len.saturating_add(chunk.len());
        if len > cap {
            return Err(Error::too_large(cap, status, None));
        }
        chunks.push(chunk);
    }
    Ok(match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.swap_remove(0),
        _ => {
            let mut body = BytesMut::with_capacity(len);
            for chunk in &chunks {
                body.extend_from_slice(chunk);
            }
            body.freeze()
        }
    })
}
