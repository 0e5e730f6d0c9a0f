//! A program as a folder of Markdown files in a ZIP (`kring_domain::program_folder`):
//! downloaded by those who build it, uploaded to create a program elsewhere, with a
//! preview of what will be created before anything is.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};
#[cfg(feature = "ssr")]
use kring_domain::program_folder::{read_folder, FolderProgram};
#[cfg(feature = "ssr")]
use std::collections::BTreeMap;

/// An uploaded ZIP is at most this large (within the server's 3 MiB request limit)…
pub const MAX_FOLDER_BYTES: usize = 2 * 1024 * 1024;
/// …and unpacks to at most this many files and bytes (a small ZIP may unpack to a lot).
#[cfg(feature = "ssr")]
const MAX_FOLDER_FILES: usize = 5_000;
#[cfg(feature = "ssr")]
const MAX_UNPACKED_BYTES: u64 = 10 * 1024 * 1024;

/// The folder's files in a ZIP (path → text): the manifest and Markdown files, below
/// the shallowest folder holding `manifest.txt` (a ZIP made of a folder has one around
/// everything). What else a ZIP may carry (`.DS_Store`, `__MACOSX/`) is left out.
#[cfg(feature = "ssr")]
fn unzip(context: &RequestContext, bytes: &[u8]) -> Result<BTreeMap<String, String>, AppError> {
    use kring_domain::program_folder::MANIFEST;
    use std::io::Read;
    let unreadable = || context.error(ErrorCode::FolderUnreadable);
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > MAX_FOLDER_FILES {
        return Err(context.error(ErrorCode::FolderTooLarge));
    }
    let wanted = |path: &str| {
        !path.starts_with("__MACOSX/")
            && (path == MANIFEST
                || path.ends_with(&format!("/{MANIFEST}"))
                || path.ends_with(".md"))
    };
    let mut files = BTreeMap::new();
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|_| unreadable())?;
        let path = entry.name().replace('\\', "/");
        if entry.is_dir() || !wanted(&path) {
            continue;
        }
        let left = MAX_UNPACKED_BYTES - unpacked;
        let mut raw = Vec::new();
        entry
            .take(left + 1)
            .read_to_end(&mut raw)
            .map_err(|_| unreadable())?;
        if raw.len() as u64 > left {
            return Err(context.error(ErrorCode::FolderTooLarge));
        }
        unpacked += raw.len() as u64;
        let text = String::from_utf8(raw).map_err(|_| unreadable())?;
        // No text holds a NUL, and PostgreSQL could not store one.
        if text.contains('\0') {
            return Err(unreadable());
        }
        files.insert(path, text);
    }
    let top = files
        .keys()
        .filter_map(|path| path.strip_suffix(MANIFEST))
        .filter(|folder| folder.is_empty() || folder.ends_with('/'))
        .min_by_key(|folder| folder.matches('/').count())
        .unwrap_or_default()
        .to_owned();
    Ok(files
        .into_iter()
        .filter_map(|(path, text)| path.strip_prefix(&top).map(|path| (path.to_owned(), text)))
        .collect())
}

/// Takes an uploaded folder (field `file`, a ZIP), checks all of it and leads to its preview.
#[server(endpoint = "programs/import", input = MultipartFormData)]
pub async fn upload_program_folder(data: MultipartData) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_facilitator()?;
    let bad_request = || context.error(ErrorCode::BadRequest);
    let mut form = data.into_inner().ok_or_else(bad_request)?;
    let mut file = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(|_| bad_request())? {
        if field.name() == Some("file") {
            while let Some(chunk) = field.chunk().await.map_err(|_| bad_request())? {
                file.extend_from_slice(&chunk);
                if file.len() > MAX_FOLDER_BYTES {
                    return Err(context.error(ErrorCode::FolderTooLarge));
                }
            }
        }
    }
    let files = unzip(&context, &file)?;
    let program = read_folder(&files).map_err(|error| {
        context.error(ErrorCode::FolderRefused {
            file: error.file,
            line: error.line as i64,
            problem: error.problem,
        })
    })?;
    let body = serde_json::to_string(&program).map_err(|_| context.error(ErrorCode::Internal))?;
    let import = db().store_program_import(user.id, &body).await?;
    crate::navigation::redirect(&format!("/programs/import/{import}"));
    Ok(())
}

/// An uploaded folder of the requester's, read back.
#[cfg(feature = "ssr")]
async fn kept_folder(context: &RequestContext, import: i64) -> Result<FolderProgram, AppError> {
    let user = context.require_facilitator()?;
    let body = db().program_import(import, user.id).await?;
    serde_json::from_str(&body).map_err(|_| context.error(ErrorCode::Internal))
}

/// What creating a program from the uploaded folder will make.
#[server(endpoint = "programs/import/preview")]
pub async fn load_program_import(import: i64) -> Result<FolderPreview, AppError> {
    let context = request_context();
    let folder = kept_folder(&context, import).await?;
    let languages = |texts: &[kring_domain::program_folder::FolderText]| {
        texts.iter().map(|text| text.language).collect::<Vec<_>>()
    };
    Ok(FolderPreview {
        import,
        title: folder.title().to_owned(),
        source_language: folder.source_language,
        languages: languages(&folder.texts),
        modules: folder
            .modules
            .iter()
            .map(|module| FolderPreviewModule {
                title: FolderProgram::text(&module.texts, folder.source_language)
                    .map(|text| text.title.clone())
                    .unwrap_or_default(),
                languages: languages(&module.texts),
                units: module
                    .units
                    .iter()
                    .map(|unit| {
                        (
                            FolderProgram::text(&unit.texts, folder.source_language)
                                .map(|text| text.title.clone())
                                .unwrap_or_default(),
                            languages(&unit.texts),
                        )
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// Creates the program (a draft) from the uploaded folder, all of it or nothing.
#[server(endpoint = "programs/import/create")]
pub async fn create_imported_program(import: i64) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_facilitator()?;
    let folder = kept_folder(&context, import).await?;
    let db = db();
    let program = db.create_from_folder(&folder, user.id).await?;
    db.drop_program_import(import).await?;
    crate::navigation::redirect(&format!("/programs/{}?imported=1", program.0));
    Ok(())
}
