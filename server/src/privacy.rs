//! A person's copy of their data: made in the background, part by part (the
//! page shows the progress), and downloaded by its owner alone for 24 hours.

use crate::AppState;
use app::error::ErrorCode;
use app::viewer::RequestContext;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use kring_db::{Db, DbError, ExportKind};

/// `/profile/data/copies/<id>/kring-data.zip`: the signed-in person's own copy.
pub async fn copy_download(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    Path((id, _file)): Path<(i64, String)>,
) -> Response {
    context.answer(copy_of(&state, &context, id).await)
}

async fn copy_of(
    state: &AppState,
    context: &RequestContext,
    id: i64,
) -> Result<Response, ErrorCode> {
    let Some(user) = &context.viewer.user else {
        return Err(ErrorCode::Unauthenticated);
    };
    // Someone else's copy is "not found", like one that never was.
    let archive = state.db.export_archive(user.id, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kring-data.zip\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        archive,
    )
        .into_response())
}

/// Makes every copy waiting to be made; returns how many were made.
pub async fn make_data_copies(db: &Db) -> Result<u64, DbError> {
    let mut made = 0;
    while let Some((export, user)) = db.claim_export().await? {
        let archive = match data_copy(db, export, user).await {
            Ok(archive) => Some(archive),
            Err(error) => {
                tracing::error!(%error, export, "could not make a copy of someone's data");
                None
            }
        };
        db.finish_export(export, archive).await?;
        made += 1;
    }
    Ok(made)
}

async fn data_copy(db: &Db, export: i64, user: kring_domain::UserId) -> Result<Vec<u8>, DbError> {
    let person = db.user(user).await?;
    let mut parts = Vec::with_capacity(ExportKind::ALL.len());
    for (done, kind) in ExportKind::ALL.into_iter().enumerate() {
        parts.push(db.export_part(user, person.language, kind).await?);
        db.export_progress(export, done as i64 + 1).await?;
    }
    let files = app::outbound::data_copy::data_copy_files(
        &parts,
        person.display_name.as_str(),
        person.language,
        &person.time_zone,
        kring_db::now(),
    );
    app::outbound::archive::zip_files(&files).map_err(DbError::Io)
}
