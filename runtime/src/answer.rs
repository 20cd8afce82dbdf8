//! Answers that are not a JSON document of a known shape (issue 10, shapes 5 and 6):
//! [`Download`], a non-JSON body streamed chunk by chunk, and [`NoContent`], an answer whose
//! body, if any, is ignored.

use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt as _};
use http::{HeaderMap, StatusCode};
use serde::de::{Deserialize, Deserializer, IgnoredAny};
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use crate::error::{Error, Result, TimeoutKind};

/// The answer of an endpoint without a response schema (`200` without content, `202`, `204`):
/// an empty body, `{}` or any other JSON value is accepted and dropped.
///
/// Return `Call<NoContent>` for such operations. `Call<()>` accepts an empty body only.
///
/// ```
/// # use atlas_endpoints_runtime::NoContent;
/// let _: NoContent = serde_json::from_str(r#"{"anything": [1, 2]}"#).unwrap();
/// let _: NoContent = serde_json::from_str("null").unwrap();
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoContent;

impl<'de> Deserialize<'de> for NoContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| NoContent)
    }
}

/// A non-JSON answer (`format = "gzip"` or `"csv"`) whose body is still arriving: a
/// [`Stream`] of its chunks, never held whole in memory.
///
/// Returned by awaiting a `Call<Download>`: by then the status was a success and the headers
/// have arrived; retries happen only before that point, never once the body is streaming. A
/// connection lost mid-body ends the stream with a [`Transport`](crate::ErrorKind::Transport)
/// error. The client's (or the call's) whole-call timeout bounds the whole download, body
/// included, and ends the stream with a [`Timeout`](crate::ErrorKind::Timeout) error naming
/// it: set a longer `.timeout(..)` (or `.no_timeouts()`) on the call for large files. The
/// body is never size-capped.
///
/// ```no_run
/// # async fn run(call: atlas_endpoints_runtime::Call<atlas_endpoints_runtime::Download>)
/// # -> atlas_endpoints_runtime::Result<()> {
/// let bytes_written = call.await?.save("mongodb.log.gz").await?;
/// # Ok(()) }
/// ```
pub struct Download {
    status: StatusCode,
    headers: HeaderMap,
    body: BoxStream<'static, Result<Bytes>>,
}

impl Download {
    /// The body of `response`, whose request's own timeout is what was left of the
    /// `call_timeout` (named in the error when it passes).
    pub(crate) fn from_response(
        response: reqwest::Response,
        call_timeout: Option<std::time::Duration>,
        connect_timeout: Option<std::time::Duration>,
    ) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let body = async_stream::stream! {
            let mut response = response;
            loop {
                match response.chunk().await {
                    Ok(Some(chunk)) => yield Ok(chunk),
                    Ok(None) => break,
                    Err(error) => {
                        yield Err(Error::transport(error.without_url()).with_timeout(
                            TimeoutKind::Call,
                            call_timeout,
                            connect_timeout,
                        ));
                        break;
                    }
                }
            }
        };
        Download {
            status,
            headers,
            body: body.boxed(),
        }
    }

    /// A download of `bytes` that sends nothing: what a test double returns, as
    /// `Call::ready(Download::from_bytes(..))`.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let chunk: Bytes = bytes.into();
        Download {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: futures::stream::once(async move { Ok(chunk) }).boxed(),
        }
    }

    /// The status of the answer (a success).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the answer (`Content-Type`, `Content-Length`, `Content-Disposition`, …).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The length of the body the server announced, if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(http::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The body's chunks, as a boxed stream.
    pub fn into_stream(self) -> BoxStream<'static, Result<Bytes>> {
        self.body
    }

    /// Copies the body into `writer` chunk by chunk, flushes it, and returns the number of
    /// bytes written. Memory holds one chunk at a time.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64> {
        let mut written = 0u64;
        while let Some(chunk) = self.body.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(Error::io)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(Error::io)?;
        Ok(written)
    }

    /// Writes the body to the file at `path` (created, or truncated), and returns the number
    /// of bytes written. A failure part-way leaves the partial file in place.
    pub async fn save(self, path: impl AsRef<Path>) -> Result<u64> {
        let mut file = tokio::fs::File::create(path.as_ref())
            .await
            .map_err(Error::io)?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await.map_err(Error::io)?;
        Ok(written)
    }
}

impl Stream for Download {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.body.poll_next_unpin(cx)
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("status", &self.status)
            .field(
                "content_type",
                &self.headers.get(http::header::CONTENT_TYPE),
            )
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}
