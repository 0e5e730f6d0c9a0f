use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// 200 with the engine and applied migration when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.db.health().await {
        Ok(health) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "database": health.engine.name(),
                "migration": health.migration_version,
                "tzdb": kring_domain::series::TZDB_VERSION,
            })),
        ),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable", "database": state.db.engine().name() })),
            )
        }
    }
}
