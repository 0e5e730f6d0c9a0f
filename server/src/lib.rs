//! The Kring server: it connects to the database, resolves who is asking in
//! which language, and serves the pages, server functions and static files.

mod assets;
pub mod config;
mod context;
mod feeds;
mod health;
mod limits;
mod live;
pub mod mail;
pub mod origin;
mod privacy;

use app::{shell, App};
use axum::http::{header, HeaderName, HeaderValue};
use axum::routing::get;
use axum::Router;
use config::Config;
use context::{PageDb, ScriptNonce};
use kring_db::Db;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use context::AppState;
pub use privacy::make_data_copies;

/// Connects to the database, migrates it and, when asked, loads the demo program.
pub async fn prepare_database(config: &Config) -> Result<Db, kring_db::DbError> {
    let db = Db::connect(&config.database_url)
        .await?
        .with_hashing_memory(config.hashing_memory_mib);
    db.migrate().await?;
    if config.load_demo && kring_db::demo::load_if_empty(&db).await? {
        tracing::info!("loaded the demo program");
    }
    Ok(db)
}

/// Headers every response carries: no guessing of content types, no
/// referrer to other sites, no powerful browser features, no framing.
fn protections() -> [(HeaderName, HeaderValue); 5] {
    [
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
            ),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

pub fn router(config: &Config, db: Db) -> Router {
    let hash_file = assets::hash_file(&config.site_root);
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("kring")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .hash_files(hash_file.is_some())
        .hash_file(
            hash_file
                .map(|path| path.to_string_lossy().into())
                .unwrap_or_else(|| assets::HASH_FILE_NAME.into()),
        )
        .site_addr(config.addr)
        .build();
    let render_cache = app::rendered::RenderCache::default();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
        trust_proxy: config.trust_proxy,
        public_url: config.public_url.clone(),
        live_posts: live::LivePosts::new(render_cache.clone()),
        live_connections: live::LiveConnections::new(
            config.live_connections_per_person,
            config.live_connections,
        ),
    };
    let routes = generate_route_list(App);
    let mail_enabled = config.smtp_url.is_some();
    // The demo without SMTP prints the mails people ask for to the log instead.
    let mail_printed = !mail_enabled && config.load_demo;
    let open_registration = config.open_registration;
    // What every page render and server function gets, this request's script nonce included.
    let page_context = move || {
        let parts = use_context::<axum::http::request::Parts>();
        let page_db = parts
            .as_ref()
            .and_then(|parts| parts.extensions.get::<PageDb>().cloned());
        provide_context(page_db.map_or_else(|| db.clone(), |PageDb(db)| db));
        provide_context(render_cache.clone());
        if mail_enabled {
            provide_context(app::outbound::MailEnabled);
        }
        if mail_printed {
            provide_context(app::outbound::MailPrinted);
        }
        if open_registration {
            provide_context(app::accounts::OpenRegistration);
        }
        if let Some(ScriptNonce(nonce)) =
            parts.and_then(|parts| parts.extensions.get::<ScriptNonce>().cloned())
        {
            provide_context(nonce);
        }
    };
    let shell_options = leptos_options.clone();
    // Pages, server functions and feeds: bodies read first within a size and
    // a time limit, then bounded in time and in how many run at once (beyond
    // that refused at once as busy); see `limits`.
    let pages = Router::new()
        .route("/calendar/{file}", get(feeds::feed))
        .route("/sessions/{id}/event.ics", get(feeds::session_event))
        .route("/cohorts/{id}/dashboard.csv", get(feeds::dashboard_csv))
        .route("/programs/{id}/export.zip", get(feeds::program_folder_zip))
        .route(
            "/profile/data/copies/{id}/{file}",
            get(privacy::copy_download),
        )
        .route(
            "/sessions/{id}/registrants.csv",
            get(feeds::registrants_csv),
        )
        .leptos_routes_with_context(&state, routes, page_context.clone(), move || {
            shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, shell));
    let pages = limits::bounded(pages, config)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(assets::PRIVATE),
        ))
        .layer(CompressionLayer::new());
    // Live streams stay open as long as their page: capped per person and in all instead.
    // Never compressed (an event must go out whole, at once), so they pass no
    // compression layer: its body, whatever it does, holds every encoder's
    // state, almost 6 KiB for each open connection.
    let live = Router::new()
        .route("/live", get(live::shared_events))
        .route("/live/threads/{id}", get(live::thread_events))
        .route("/live/categories/{id}", get(live::category_events));
    let mut protected = Router::new()
        .merge(pages)
        .merge(live)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::resolve,
        ))
        // Outside the limits and the session lookup: it must answer during a flood.
        .route("/healthz", get(health::healthz))
        // Mostly precompressed; the few files that are not, compressed as they go.
        .merge(assets::routes(&config.site_root).layer(CompressionLayer::new()));
    for (name, value) in protections() {
        protected = protected.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    protected
        .layer(CatchPanicLayer::custom(panicked))
        .with_state(state)
}

/// A panic is our bug: the client gets a calm 500, never a dropped connection.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::error!("a request handler panicked");
    app::error::AppError::new(
        app::error::ErrorCode::Internal,
        kring_domain::Language::default(),
    )
    .into_response()
}

/// Starts the background jobs: copies of people's data every two seconds,
/// rows past their retention hourly, due reminders every ten seconds and, with SMTP
/// configured, their e-mail and the outbox every ten seconds, and each minute a
/// digest of forum notifications left unread for a quarter of an hour. Every instance may
/// run them: the database hands each reminder and mail to one instance only.
pub fn spawn_jobs(config: &Config, db: Db) -> Result<(), mail::MailConfigError> {
    let mailer = match &config.smtp_url {
        Some(url) => Some(mail::Mailer::new(url, &config.smtp_from)?),
        None => None,
    };
    let origin = config.public_url.clone();
    let print_mail = config.load_demo;
    let copies = db.clone();
    tokio::spawn(async move {
        // Copies of people's data: asked for rarely, waited for on a page, so looked for often.
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            tick.tick().await;
            if let Err(error) = privacy::make_data_copies(&copies).await {
                tracing::warn!(%error, "could not make copies of people's data");
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
        let mut round: u64 = 0;
        loop {
            tick.tick().await;
            // Two indexed inserts: cheap enough to run every round, so that a
            // reminder is in the app within seconds of becoming due.
            match db.create_due_reminders(kring_db::now()).await {
                Ok(0) => {}
                Ok(created) => tracing::info!(created, "session reminders created"),
                Err(error) => tracing::warn!(%error, "could not create session reminders"),
            }
            round += 1;
            if round.is_multiple_of(360) {
                // Hourly: what Kring no longer keeps (the privacy page states the periods).
                match db.apply_retention(kring_db::SessionPolicy::DEFAULT).await {
                    Ok(0) => {}
                    Ok(purged) => tracing::info!(purged, "rows past their retention deleted"),
                    Err(error) => tracing::warn!(%error, "could not apply retention"),
                }
            }
            let Some(mailer) = &mailer else {
                // Without SMTP the demo prints the few mails a person asks for, such as
                // a password reset, to the log, so that someone trying Kring can follow
                // their links. A real deployment without SMTP prints nothing.
                if print_mail {
                    if let Err(error) = mail::print_outbox(&db).await {
                        tracing::warn!(%error, "could not read the outbox");
                    }
                }
                continue;
            };
            if let Err(error) = mail::queue_notice_mail(&db, &origin).await {
                tracing::warn!(%error, "could not queue reminder and change e-mail");
            }
            if round.is_multiple_of(6) {
                let written_before = kring_db::now() - mail::DIGEST_AFTER_SECS;
                if let Err(error) = mail::queue_digest_mail(&db, &origin, written_before).await {
                    tracing::warn!(%error, "could not queue notification digests");
                }
            }
            match mail::send_outbox(&db, mailer).await {
                Ok(0) => {}
                Ok(sent) => tracing::info!(sent, "e-mail sent"),
                Err(error) => tracing::warn!(%error, "could not read the outbox"),
            }
        }
    });
    Ok(())
}

/// Serves Kring on `listener` until the process is stopped. Every connection
/// sends small writes at once (`TCP_NODELAY`): otherwise a response's last
/// small segment waits for the browser's delayed acknowledgement, up to 40 ms
/// per static file on a kept-alive connection, and so does each live event.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "could not turn off Nagle's algorithm on a connection");
        }
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
