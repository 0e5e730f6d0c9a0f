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

    pub const SESSION_COOKIE: &str = "kring_session";
    pub const LANGUAGE_COOKIE: &str = "kring_lang";
    /// The visitor's time zone, written by the browser (`ZoneCookie` island) or the zone picker.
    pub const TIME_ZONE_COOKIE: &str = "kring_tz";

    /// Everything the server knows about the requester, resolved once per request.
    #[derive(Debug, Clone)]
    pub struct RequestContext {
        pub viewer: Viewer,
        pub session_token: Option<String>,
        /// The client's address, for login throttling.
        pub client_address: String,
        /// Served over https: cookies get `Secure`.
        pub secure: bool,
        /// A plain form post or page load (no WebAssembly in charge): errors travel by redirect.
        pub accepts_html: bool,
        /// `https://kring.example.org`: for links that leave the site (calendar feeds).
        pub origin: String,
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
                other => self.internal(other),
            }
        }

        /// Logs a storage failure and answers with a calm, translated message.
        pub fn internal(&self, error: kring_db::DbError) -> AppError {
            tracing::error!(%error, "storage failure");
            self.error(ErrorCode::Internal)
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
            set_cookie(self.cookie(SESSION_COOKIE, token, max_age, true));
        }

        pub fn clear_session_cookie(&self) {
            set_cookie(self.cookie(SESSION_COOKIE, "", 0, true));
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
                client_address: "unknown".to_owned(),
                secure: false,
                accepts_html: false,
                origin: String::new(),
            })
    }

    pub fn db() -> Db {
        use_context::<Db>().expect("the server provides the database to every request")
    }
}
