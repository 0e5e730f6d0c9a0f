//! Who is looking at a page or calling a server function, and in which language.
//!
//! The server resolves this once per request (see the server crate's
//! `request_context` middleware) and stores a [`RequestContext`] in the
//! request's extensions; pages and server functions read it from there.

use crate::error::{AppError, ErrorCode};
use crate::i18n::{locale, Locale};
use kring_domain::{Language, Role, UserId};
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
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
    use axum::http::{header, request::Parts, HeaderValue, StatusCode};
    use kring_db::Db;
    use kring_domain::DomainError;
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;

    pub const LANGUAGE_COOKIE: &str = "kring_lang";
    /// The visitor's time zone, written by the browser (the `ZoneCookie` behaviour) or the zone picker.
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

        /// Counts one attempt in each bucket, before the work they ask for: a
        /// translated "too many requests" as soon as one bucket is full.
        pub async fn count_attempts(
            &self,
            db: &Db,
            attempts: &[(kring_db::Bucket<'_>, kring_domain::AttemptLimit)],
        ) -> Result<(), AppError> {
            for (bucket, limit) in attempts {
                if let kring_domain::ThrottleVerdict::Blocked {
                    retry_after_minutes,
                } = db.count_attempt(*bucket, *limit).await?
                {
                    return Err(self.error(ErrorCode::TooManyRequests {
                        minutes: retry_after_minutes,
                    }));
                }
            }
            Ok(())
        }

        /// Who is acting, for the audit log.
        pub fn actor(&self) -> Option<(kring_domain::UserId, kring_domain::Role)> {
            self.viewer.user.as_ref().map(|user| (user.id, user.role))
        }

        /// Records in the audit log that the requester did `action`, shaped by `entry`.
        pub async fn audit(
            &self,
            action: kring_db::AuditAction,
            entry: impl FnOnce(kring_db::NewAudit) -> kring_db::NewAudit,
        ) -> Result<(), AppError> {
            db().record_audit(&entry(kring_db::NewAudit::new(action, self.actor())))
                .await?;
            Ok(())
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

        /// Whether the requester runs `cohort` (`kring_domain::Role::runs_cohort`):
        /// its circles, moderation, planning, registrants and members. `None`
        /// stands for what belongs to no cohort (public information meetings),
        /// which every facilitator runs.
        pub async fn runs(&self, cohort: Option<kring_domain::CohortId>) -> Result<bool, AppError> {
            let Some(user) = &self.viewer.user else {
                return Ok(false);
            };
            Ok(db().runs_cohort(user.id, user.role, cohort).await?)
        }

        /// The requester, if they run `cohort` (see [`Self::runs`]); 403 otherwise.
        pub async fn require_cohort_staff(
            &self,
            cohort: Option<kring_domain::CohortId>,
        ) -> Result<&ViewerUser, AppError> {
            let user = self.require_facilitator()?;
            if self.runs(cohort).await? {
                Ok(user)
            } else {
                Err(self.error(ErrorCode::Forbidden))
            }
        }

        /// The requester, if they run a cohort following `program` and so edit
        /// its module content; 403 otherwise.
        pub async fn require_program_staff(
            &self,
            program: kring_domain::ProgramId,
        ) -> Result<&ViewerUser, AppError> {
            let user = self.require_facilitator()?;
            if db().runs_program(user.id, user.role, program).await? {
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

        /// Outside the server functions (feeds, live streams): a handler's
        /// outcome, its refusal answered in this requester's language.
        pub fn answer(
            &self,
            outcome: Result<axum::response::Response, ErrorCode>,
        ) -> axum::response::Response {
            use axum::response::IntoResponse;
            outcome.unwrap_or_else(|code| AppError::new(code, self.viewer.language).into_response())
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
                    HeaderValue::from_static("\"cache\", \"storage\""),
                );
            }
        }

        pub fn set_language_cookie(&self, language: Language) {
            set_cookie(self.cookie(LANGUAGE_COOKIE, language.code(), 365 * 24 * 3600, false));
        }

        pub fn set_time_zone_cookie(&self, zone: &kring_domain::TimeZone) {
            set_cookie(self.cookie(TIME_ZONE_COOKIE, zone.as_str(), 365 * 24 * 3600, false));
        }

        /// A secret handed back to one page of its creator for `max_age_secs`: sent only
        /// to `path`, never to another site, never readable by scripts.
        pub fn set_page_secret(&self, name: &str, value: &str, path: &str, max_age_secs: i64) {
            let mut cookie = format!(
                "{name}={value}; Path={path}; Max-Age={max_age_secs}; SameSite=Strict; HttpOnly"
            );
            if self.secure {
                cookie.push_str("; Secure");
            }
            set_cookie(cookie);
        }

        /// The value of the request's cookie `name`, if it sent one.
        pub fn request_cookie(&self, name: &str) -> Option<String> {
            let parts = use_context::<Parts>()?;
            parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_owned())
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

    /// `?` on storage in a server function: the error in the requester's language.
    impl From<kring_db::DbError> for AppError {
        fn from(error: kring_db::DbError) -> AppError {
            request_context().error(ErrorCode::from(error))
        }
    }

    /// `?` on a value the requester sent that the domain's rules refuse (422).
    impl From<DomainError> for AppError {
        fn from(error: DomainError) -> AppError {
            request_context().error(ErrorCode::Invalid(error))
        }
    }

    pub fn db() -> Db {
        use_context::<Db>().expect("the server provides the database to every request")
    }
}

/// Failures before or after a server function ran, and errors read back
/// from text, in the requester's language.
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Failures before or after the function ran. A request the server could
    /// not read is the client's mistake (400, or 413 when it was too large)
    /// and is not logged as ours; anything else is, and the page gets only a
    /// calm message.
    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        let code = match &error {
            ServerFnErrorErr::Args(reason) | ServerFnErrorErr::Deserialization(reason)
                if reason.contains("length limit exceeded") =>
            {
                ErrorCode::TooLarge
            }
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => ErrorCode::BadRequest,
            _ => ErrorCode::Internal,
        };
        #[cfg(feature = "ssr")]
        {
            if code == ErrorCode::Internal {
                tracing::error!(%error, "a server function call failed before or after it ran");
            } else {
                tracing::debug!(%error, "a malformed server function call");
            }
            // The requester's language and status, when this runs for a request.
            request_context().error(code)
        }
        #[cfg(not(feature = "ssr"))]
        {
            let _ = error;
            AppError::new(code, Language::default())
        }
    }

    /// An error read back from text, which for a page means from its link
    /// (`__err`): anyone can write one, so the message is looked up again by
    /// its code, in the reader's language, with its parameters vouched for.
    fn de(data: leptos::server_fn::Bytes) -> Self {
        use leptos::server_fn::Decodes;
        let code = <JsonEncoding as Decodes<AppError>>::decode(data)
            .map(|error| error.code.vouched())
            .unwrap_or(ErrorCode::BadRequest);
        #[cfg(feature = "ssr")]
        let language = request_context().viewer.language;
        #[cfg(not(feature = "ssr"))]
        let language = Language::default();
        AppError::new(code, language)
    }
}
