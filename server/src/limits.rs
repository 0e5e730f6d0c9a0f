//! What keeps a flood from taking Kring down, and malformed requests from
//! reaching code that expects well-formed ones.
//!
//! Pages, server functions and feeds run under tower's layers: a time limit,
//! and a limit on how many run at once on this instance (beyond it a request
//! is refused at once with "busy", rather than queued without bound). Bodies
//! are read first, within a size and a time limit, before a request takes
//! one of those places: a client trickling its upload holds none. `/healthz` and the live streams stay outside: the health check
//! must answer during a flood, and a stream is open for as long as the page is.

use crate::config::Config;
use app::error::{AppError, ErrorCode};
use app::viewer::RequestContext;
use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use kring_domain::Language;
use std::time::Duration;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::{BoxError, ServiceBuilder};

/// The largest request body Kring reads: a unit's text (200,000 characters)
/// sent by a form, percent-encoded, with room to spare.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

/// How long a request's body may take to arrive, at most.
const BODY_WITHIN: Duration = Duration::from_secs(10);

/// `router` bounded: bodies read first, then a time limit and a limit on how
/// many run at once.
pub fn bounded<S: Clone + Send + Sync + 'static>(router: Router<S>, config: &Config) -> Router<S> {
    let timeout = Duration::from_secs(config.request_timeout_secs);
    router
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .timeout(timeout)
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(config.max_requests)),
        )
        .layer(axum::middleware::from_fn_with_state(
            timeout.min(BODY_WITHIN),
            readable_body,
        ))
}

/// The language of the request's context, when it has one.
fn language(context: Option<Extension<RequestContext>>) -> Language {
    context.map_or(Language::default(), |Extension(context)| {
        context.viewer.language
    })
}

/// A request refused for the load, or stopped for taking too long: our limit,
/// not the client's mistake, and said so in their language.
async fn overloaded(context: Option<Extension<RequestContext>>, error: BoxError) -> Response {
    let language = language(context);
    if !error.is::<tower::load_shed::error::Overloaded>()
        && !error.is::<tower::timeout::error::Elapsed>()
    {
        tracing::error!(%error, "a request failed in the middleware");
    }
    AppError::new(ErrorCode::Busy, language).into_response()
}

/// Reads a request's body before anything else does, within
/// [`MAX_BODY_BYTES`] and `within`, and refuses what no form of Kring's
/// sends: a body too large (413), too slow to arrive (408), or with a NUL
/// character (400, except in a binary upload), which PostgreSQL cannot store
/// and nobody types.
/// Everything else is left to the function's own checks.
async fn readable_body(
    State(within): State<Duration>,
    context: Option<Extension<RequestContext>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let language = language(context);
    let bytes = match tokio::time::timeout(within, axum::body::to_bytes(body, MAX_BODY_BYTES)).await
    {
        Err(_) => return AppError::new(ErrorCode::TooSlow, language).into_response(),
        Ok(Err(_)) => return AppError::new(ErrorCode::TooLarge, language).into_response(),
        Ok(Ok(bytes)) => bytes,
    };
    if (carries_nul(&bytes) && !takes_binary_files(parts.uri.path())) || !decodable_upload(&parts) {
        return AppError::new(ErrorCode::BadRequest, language).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Server functions that take uploaded files: server_fn's decoder of their multipart
/// bodies gives up by panicking when the body names no boundary.
fn takes_files(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    path == <app::people::UploadInvitations as ServerFn>::PATH || takes_binary_files(path)
}

/// Server functions whose uploads are binary (a ZIP holds NUL bytes); they refuse a
/// NUL in the texts they unpack themselves.
fn takes_binary_files(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    path == <app::content::UploadProgramFolder as ServerFn>::PATH
}

/// Whether a request to a function taking files carries a multipart body it can read
/// (the same check its decoder makes); every other request passes.
fn decodable_upload(parts: &axum::http::request::Parts) -> bool {
    !takes_files(parts.uri.path())
        || parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| multer::parse_boundary(value).is_ok())
}

/// A NUL as a byte, percent-encoded (`%00`) or JSON-escaped (`\u0000`).
fn carries_nul(body: &[u8]) -> bool {
    body.contains(&0)
        || body
            .windows(3)
            .any(|window| window.eq_ignore_ascii_case(b"%00"))
        || body
            .windows(6)
            .any(|window| window.eq_ignore_ascii_case(b"\\u0000"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    #[tokio::test]
    async fn beyond_the_limit_a_request_is_refused_at_once_as_busy() {
        let mut config = Config::local("127.0.0.1:3000".parse().unwrap(), "sqlite:unused");
        config.max_requests = 2;
        let slow = || async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            "done"
        };
        let app = bounded(Router::new().route("/slow", get(slow)), &config);
        let call = |app: Router| async move {
            let response = app
                .oneshot(Request::get("/slow").body(Body::empty()).unwrap())
                .await
                .unwrap();
            response.status()
        };
        let busy = tokio::spawn(call(app.clone()));
        let also_busy = tokio::spawn(call(app.clone()));
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = std::time::Instant::now();
        assert_eq!(call(app.clone()).await, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            started.elapsed() < Duration::from_millis(400),
            "refused, not queued"
        );
        assert_eq!(busy.await.unwrap(), StatusCode::OK);
        assert_eq!(also_busy.await.unwrap(), StatusCode::OK);
        assert_eq!(call(app).await, StatusCode::OK, "places free up again");
    }

    #[tokio::test]
    async fn a_request_past_its_time_is_stopped() {
        let mut config = Config::local("127.0.0.1:3000".parse().unwrap(), "sqlite:unused");
        config.request_timeout_secs = 1;
        let endless = || async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "never"
        };
        let app = bounded(Router::new().route("/endless", get(endless)), &config);
        let response = app
            .oneshot(Request::get("/endless").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key("retry-after"));
    }

    #[test]
    fn finds_a_nul_however_it_is_written() {
        for body in [
            &b"body=a\0b"[..],
            b"body=a%00b",
            b"body=%00",
            b"{\"body\":\"a\\u0000\"}",
            b"{\"body\":\"a\\U0000\"}",
        ] {
            assert!(carries_nul(body), "{}", String::from_utf8_lossy(body));
        }
        for body in [
            &b"body=100%25"[..],
            b"body=%2000",
            b"",
            b"{\"n\":\"u0000\"}",
        ] {
            assert!(!carries_nul(body), "{}", String::from_utf8_lossy(body));
        }
    }
}
