//! Counting and recording every request before anything else sees it.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::{self, Body};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::checks::QueryParams;
use crate::errors::ApiError;
use crate::render::{self, Format};
use crate::RecordedRequest;

/// The most body bytes the sandbox reads (and records) per request.
pub(crate) const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The requests received so far, shared by the server and the [`crate::Sandbox`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Recorder(Arc<Mutex<Vec<RecordedRequest>>>);

impl Recorder {
    fn lock(&self) -> MutexGuard<'_, Vec<RecordedRequest>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn push(&self, request: RecordedRequest) {
        self.lock().push(request);
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    pub(crate) fn all(&self) -> Vec<RecordedRequest> {
        self.lock().clone()
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }
}

/// Middleware around the whole app: reads the body, records the request as
/// received, then hands it on with the same body.
pub(crate) async fn record(
    State(recorder): State<Recorder>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = body::to_bytes(body, BODY_LIMIT).await;
    recorder.push(RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: bytes.as_ref().map(|b| b.to_vec()).unwrap_or_default(),
    });
    match bytes {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => render::error(
            ApiError::body_too_large(BODY_LIMIT),
            Format::lenient(&QueryParams::parse(parts.uri.query())),
        ),
    }
}
