//! The Kring server: it connects to the database, resolves who is asking in
//! which language, and serves the pages, server functions and static files.

pub mod config;
mod context;
mod feeds;
mod health;
mod live;
pub mod mail;
pub mod origin;

use app::{shell, App};
use axum::Router;
use config::Config;
use kring_db::Db;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub use context::AppState;

/// Where the built site (WebAssembly, JS, CSS, assets) lives: `KRING_SITE_ROOT`, default `target/site`.
fn site_root() -> String {
    std::env::var("KRING_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned())
}

/// Connects to the database, migrates it and, when asked, loads the demo program.
pub async fn prepare_database(config: &Config) -> Result<Db, kring_db::DbError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    if config.load_demo && kring_db::demo::load_if_empty(&db).await? {
        tracing::info!("loaded the demo program");
    }
    Ok(db)
}

pub fn router(config: &Config, db: Db) -> Router {
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("kring")
        .site_root(site_root())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        db: db.clone(),
        trust_proxy: config.trust_proxy,
        live_posts: live::LivePosts::default(),
    };
    let routes = generate_route_list(App);
    let mail_enabled = config.smtp_url.is_some();
    let render_cache = app::content::RenderCache::default();
    Router::new()
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/calendar/{file}", axum::routing::get(feeds::feed))
        .route(
            "/sessions/{id}/event.ics",
            axum::routing::get(feeds::session_event),
        )
        .route(
            "/sessions/{id}/registrants.csv",
            axum::routing::get(feeds::registrants_csv),
        )
        .route(
            "/live/threads/{id}",
            axum::routing::get(live::thread_events),
        )
        .route(
            "/live/categories/{id}",
            axum::routing::get(live::category_events),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(db.clone());
                provide_context(render_cache.clone());
                if mail_enabled {
                    provide_context(app::calendar::MailEnabled);
                }
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::resolve,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Starts the background jobs: due reminders every minute and, with SMTP
/// configured, their e-mail and the outbox every ten seconds, and each minute a
/// digest of forum notifications left unread for a quarter of an hour. Every instance may
/// run them: the database hands each reminder and mail to one instance only.
pub fn spawn_jobs(config: &Config, db: Db) -> Result<(), mail::MailConfigError> {
    let mailer = match &config.smtp_url {
        Some(url) => Some(mail::Mailer::new(url, &config.smtp_from)?),
        None => None,
    };
    let origin = config.public_url.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
        let mut round: u64 = 0;
        loop {
            tick.tick().await;
            if round.is_multiple_of(6) {
                match db.create_due_reminders(kring_db::now()).await {
                    Ok(0) => {}
                    Ok(created) => tracing::info!(created, "session reminders created"),
                    Err(error) => tracing::warn!(%error, "could not create session reminders"),
                }
            }
            round += 1;
            let Some(mailer) = &mailer else { continue };
            if let Err(error) = mail::queue_reminder_mail(&db, &origin).await {
                tracing::warn!(%error, "could not queue reminder e-mail");
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

/// Serves Kring on `listener` until the process is stopped.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
