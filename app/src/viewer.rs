//! Who is looking at a page or calling a server function, and in which language.
//!
//! The server resolves this once per request (see the server crate's
//! `request_context` middleware) and stores a [`RequestContext`] in the
//! request's extensions; pages and server functions read it from there.

use crate::error::locale;
use crate::i18n::Locale;
use kring_domain::{Language, Role, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerUser {
    pub id: UserId,
    pub display_name: String,
    pub role: Role,
    pub time_zone: String,
    /// Forum notifications not read yet, for the header (counted for page loads only).
    pub unread_notifications: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Viewer {
    pub user: Option<ViewerUser>,
    pub language: Language,
    /// The zone times are shown in: the profile's, else the browser's (remembered
    /// in a cookie), else UTC.
    pub time_zone: String,
    /// Whether `time_zone` came from the profile or the browser rather than the UTC default.
    pub time_zone_known: bool,
}

impl Viewer {
    pub fn locale(&self) -> Locale {
        locale(self.language)
    }

    pub fn is_admin(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|user| user.role.may_administer())
    }
}

/// The viewer of the page being rendered (provided by `App`).
pub fn use_viewer() -> Viewer {
    leptos::prelude::use_context::<Viewer>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::error::{AppError, ErrorCode};
    use axum::http::{header, request::Parts, HeaderValue, StatusCode};
    use kring_db::Db;
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    pub const LANGUAGE_COOKIE: &str = "kring_lang";
    /// The visitor's time zone, written by the browser (`ZoneCookie` island) or the zone picker.
    pub const TIME_ZONE_COOKIE: &str = "kring_tz";

    /// The session cookie's name. Over https it carries the `__Host-` prefix:
    /// the browser then only takes it from this host, over https, for the
    /// whole site, so no subdomain or plain-http page can plant one.
    pub fn session_cookie(secure: bool) -> &'static str {
        if secure {
            "__Host-kring_session"
        } else {
            "kring_session"
        }
    }

    /// The device cookie's name: the mark of a browser that logged in to an
    /// account before, whose password attempts are counted apart.
    pub fn device_cookie(secure: bool) -> &'static str {
        if secure {
            "__Host-kring_device"
        } else {
            "kring_device"
        }
    }

    /// Everything the server knows about the requester, resolved once per request.
    #[derive(Debug, Clone)]
    pub struct RequestContext {
        pub viewer: Viewer,
        pub session_token: Option<String>,
        /// The browser's device cookie (see [`device_cookie`]).
        pub device_token: Option<String>,
        /// The client's address, for counting attempts per network.
        pub client_address: String,
        /// Served over https: cookies get `Secure` and the `__Host-` prefix.
        pub secure: bool,
        /// A plain form post or page load (no WebAssembly in charge): errors travel by redirect.
        pub accepts_html: bool,
        /// `KRING_PUBLIC_URL`, e.g. `https://kring.example.org`: the start of
        /// every link that leaves Kring (e-mail, calendar feeds), never taken
        /// from the request's own headers.
        pub public_url: String,
    }

    impl RequestContext {
        /// An error in this requester's language. For calls made by code the
        /// HTTP status says what went wrong; a plain form post keeps its
        /// redirect back to the form, which then shows the message.
        pub fn error(&self, code: ErrorCode) -> AppError {
            if !self.accepts_html {
                if let Some(response) = use_context::<ResponseOptions>() {
                    response.set_status(
                        StatusCode::from_u16(code.status())
                            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    );
                }
            }
            AppError::new(code, self.viewer.language)
        }

        pub fn require_user(&self) -> Result<&ViewerUser, AppError> {
            self.viewer
                .user
                .as_ref()
                .ok_or_else(|| self.error(ErrorCode::Unauthenticated))
        }

        /// Facilitators and admins plan sessions and see who registered.
        pub fn require_facilitator(&self) -> Result<&ViewerUser, AppError> {
            let user = self.require_user()?;
            if user.role.may_facilitate() {
                Ok(user)
            } else {
                Err(self.error(ErrorCode::Forbidden))
            }
        }

        /// The viewer's zone, checked against the bundled tz database.
        pub fn time_zone(&self) -> kring_domain::TimeZone {
            kring_domain::TimeZone::parse(&self.viewer.time_zone)
                .unwrap_or_else(|_| kring_domain::TimeZone::utc())
        }

        pub fn require_admin(&self) -> Result<&ViewerUser, AppError> {
            let user = self.require_user()?;
            if user.role.may_administer() {
                Ok(user)
            } else {
                Err(self.error(ErrorCode::Forbidden))
            }
        }

        /// A storage error as the requester should hear it: a missing or invalid
        /// thing is their business; anything else is logged as ours.
        pub fn db_error(&self, error: kring_db::DbError) -> AppError {
            match error {
                kring_db::DbError::NotFound => self.error(ErrorCode::NotFound),
                kring_db::DbError::Invalid(error) => self.error(ErrorCode::Invalid(error)),
                kring_db::DbError::CircleFull => self.error(ErrorCode::CircleFull),
                kring_db::DbError::CircleClosed => self.error(ErrorCode::CircleClosed),
                kring_db::DbError::AlreadyMember => self.error(ErrorCode::AlreadyCircleMember),
                kring_db::DbError::ThreadLocked => self.error(ErrorCode::ThreadLocked),
                kring_db::DbError::Busy => self.error(ErrorCode::Busy),
                other => self.internal(other),
            }
        }

        /// A storage failure as the requester should hear it when it is not
        /// theirs to fix: logged, and a calm, translated message. One the
        /// request caused (it named something that does not exist, or sent
        /// text that cannot be stored) is answered as their mistake instead.
        pub fn internal(&self, error: kring_db::DbError) -> AppError {
            match error.client_fault() {
                Some(kring_db::ClientFault::Missing) => self.error(ErrorCode::NotFound),
                Some(kring_db::ClientFault::UnstorableText) => self.error(ErrorCode::BadRequest),
                None => {
                    tracing::error!(%error, "storage failure");
                    self.error(ErrorCode::Internal)
                }
            }
        }

        fn cookie(&self, name: &str, value: &str, max_age_secs: i64, http_only: bool) -> String {
            let mut cookie =
                format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
            if http_only {
                cookie.push_str("; HttpOnly");
            }
            if self.secure {
                cookie.push_str("; Secure");
            }
            cookie
        }

        pub fn set_session_cookie(&self, token: &str) {
            let max_age = kring_db::SessionPolicy::DEFAULT.absolute_secs;
            set_cookie(self.cookie(session_cookie(self.secure), token, max_age, true));
        }

        pub fn clear_session_cookie(&self) {
            set_cookie(self.cookie(session_cookie(self.secure), "", 0, true));
        }

        /// Marks this browser as one that logged in (kept for a year).
        pub fn set_device_cookie(&self, token: &str) {
            set_cookie(self.cookie(device_cookie(self.secure), token, 365 * 24 * 3600, true));
        }

        /// Asks the browser to forget what Kring stored in it (`Clear-Site-Data`).
        pub fn clear_browser_storage(&self) {
            if let Some(response) = use_context::<ResponseOptions>() {
                response.insert_header(
                    header::HeaderName::from_static("clear-site-data"),
                    HeaderValue::from_static("\"storage\""),
                );
            }
        }

        pub fn set_language_cookie(&self, language: Language) {
            set_cookie(self.cookie(LANGUAGE_COOKIE, language.code(), 365 * 24 * 3600, false));
        }

        pub fn set_time_zone_cookie(&self, zone: &kring_domain::TimeZone) {
            set_cookie(self.cookie(TIME_ZONE_COOKIE, zone.as_str(), 365 * 24 * 3600, false));
        }
    }

    fn set_cookie(cookie: String) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(&cookie),
        ) {
            response.append_header(header::SET_COOKIE, value);
        }
    }

    /// The context of the current request (pages and server functions alike).
    /// Outside a request (the router listing its routes at start-up) it is an
    /// anonymous visitor, who may do nothing that needs permission.
    pub fn request_context() -> RequestContext {
        use_context::<Parts>()
            .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
            .unwrap_or_else(|| RequestContext {
                viewer: Viewer::default(),
                session_token: None,
                device_token: None,
                client_address: "unknown".to_owned(),
                secure: false,
                accepts_html: false,
                public_url: String::new(),
            })
    }

    pub fn db() -> Db {
        use_context::<Db>().expect("the server provides the database to every request")
    }
}
