//! Runs before every page and server function: refuses foreign-origin writes,
//! and resolves the signed-in user and the interface language once.

use crate::origin::same_origin_or_safe;
use app::error::{AppError, ErrorCode};
use app::viewer::{
    RequestContext, Viewer, ViewerUser, LANGUAGE_COOKIE, SESSION_COOKIE, TIME_ZONE_COOKIE,
};
use axum::extract::{ConnectInfo, FromRef, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kring_db::{Db, SessionPolicy};
use kring_domain::{Language, TimeZone};
use leptos::config::LeptosOptions;
use std::net::SocketAddr;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub trust_proxy: bool,
    /// Posts loaded for live connections, shared by all of them.
    pub(crate) live_posts: crate::live::LivePosts,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let accept_language = header_text(headers, header::ACCEPT_LANGUAGE);
    let language_cookie = cookie(headers, LANGUAGE_COOKIE);

    if !same_origin_or_safe(request.method(), headers) {
        let language = Language::resolve(None, language_cookie, accept_language);
        let error = AppError::new(ErrorCode::ForeignOrigin, language);
        return (StatusCode::FORBIDDEN, axum::Json(error)).into_response();
    }

    let session_token = cookie(headers, SESSION_COOKIE)
        .filter(|token| !token.is_empty())
        .map(str::to_owned);
    let user = match &session_token {
        Some(token) => match state.db.session_user(token, SessionPolicy::DEFAULT).await {
            Ok(user) => user,
            Err(error) => {
                tracing::error!(%error, "could not look up a session");
                None
            }
        },
        None => None,
    };
    let language = Language::resolve(
        user.as_ref().map(|u| u.language),
        language_cookie,
        accept_language,
    );
    let forwarded = |name: &str| {
        state
            .trust_proxy
            .then(|| headers.get(name).and_then(|v| v.to_str().ok()))
            .flatten()
    };
    let client_address = forwarded("x-forwarded-for")
        .and_then(|list| list.split(',').next())
        .map(|address| address.trim().to_owned())
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    // The profile's zone for members; for visitors the browser's, once it told us.
    let cookie_zone = cookie(headers, TIME_ZONE_COOKIE).and_then(|zone| TimeZone::parse(zone).ok());
    let (time_zone, time_zone_known) = match (&user, cookie_zone) {
        (Some(user), _) => (user.time_zone.as_str().to_owned(), true),
        (None, Some(zone)) => (zone.as_str().to_owned(), true),
        (None, None) => (TimeZone::utc().as_str().to_owned(), false),
    };
    let secure = forwarded("x-forwarded-proto") == Some("https");
    let origin = format!(
        "{}://{}",
        if secure { "https" } else { "http" },
        forwarded("x-forwarded-host")
            .or_else(|| header_text(headers, header::HOST))
            .unwrap_or("localhost")
    );
    let accepts_html =
        header_text(headers, header::ACCEPT).is_some_and(|accept| accept.contains("text/html"));
    // Only pages show the count; calls from code and live streams need no query for it.
    let unread_notifications = match (&user, accepts_html) {
        (Some(user), true) => {
            state
                .db
                .unread_notifications(user.id)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "could not count unread notifications");
                    0
                })
        }
        _ => 0,
    };
    let context = RequestContext {
        viewer: Viewer {
            time_zone,
            time_zone_known,
            user: user.map(|u| ViewerUser {
                id: u.id,
                display_name: u.display_name.as_str().to_owned(),
                role: u.role,
                time_zone: u.time_zone.as_str().to_owned(),
                unread_notifications,
            }),
            language,
        },
        secure,
        origin,
        accepts_html,
        session_token,
        client_address,
    };
    request.extensions_mut().insert(context);
    next.run(request).await
}
