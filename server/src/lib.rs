//! The Kring server: it connects to the database, resolves who is asking in
//! which language, and serves the pages, server functions and static files.

pub mod config;
mod context;
mod health;
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
    };
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", axum::routing::get(health::healthz))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(db.clone()),
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

/// Serves Kring on `listener` until the process is stopped.
pub async fn serve(listener: TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}
