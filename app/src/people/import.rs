//! Inviting from a CSV file (name, e-mail, organisation, country, language group): the
//! upload is kept, previewed with every row that cannot be invited and why, and mailed,
//! all of it or nothing, once the facilitator agrees.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use super::api::{list_refused, mail_invitations, people_page, run_cohort};
#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};
#[cfg(feature = "ssr")]
use kring_domain::invitation::{self, ImportedInvitee, RefusedLine};

/// Takes an uploaded file (fields `cohort` and `file`) and leads to its preview.
#[server(endpoint = "people/import", input = MultipartFormData)]
pub async fn upload_invitations(data: MultipartData) -> Result<(), AppError> {
    let context = request_context();
    let bad_request = || context.error(ErrorCode::BadRequest);
    let mut form = data.into_inner().ok_or_else(bad_request)?;
    let (mut cohort, mut file) = (None, Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(|_| bad_request())? {
        match field.name() {
            Some("cohort") => {
                let text = field.text().await.map_err(|_| bad_request())?;
                cohort = text.trim().parse::<i64>().ok();
            }
            Some("file") => {
                while let Some(chunk) = field.chunk().await.map_err(|_| bad_request())? {
                    file.extend_from_slice(&chunk);
                    if file.len() > invitation::MAX_IMPORT_BYTES {
                        return Err(context.error(ErrorCode::ImportTooLarge));
                    }
                }
            }
            _ => {}
        }
    }
    let (user, summary) = run_cohort(&context, cohort.ok_or_else(bad_request)?).await?;
    let body = String::from_utf8(file).map_err(|_| context.error(ErrorCode::ImportUnreadable))?;
    let body = body.trim_start_matches('\u{feff}');
    records(&context, body)?;
    let import = db().store_import(summary.id, user.id, body).await?;
    crate::navigation::redirect(&format!("{}/import/{import}", people_page(summary.id.0)));
    Ok(())
}

/// The file's records with their line numbers. Spreadsheets set to German or Dutch
/// write `;` between fields: the separator is the one the first line uses most.
#[cfg(feature = "ssr")]
fn records(context: &RequestContext, body: &str) -> Result<Vec<(usize, Vec<String>)>, AppError> {
    let first = body.lines().next().unwrap_or_default();
    let separator = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(body.as_bytes());
    reader
        .records()
        .map(|record| {
            let record = record.map_err(|_| context.error(ErrorCode::ImportUnreadable))?;
            let line = record
                .position()
                .map_or(0, |position| position.line() as usize);
            Ok((line, record.iter().map(str::to_owned).collect()))
        })
        .collect()
}

/// A kept file read against its cohort: (rows to invite, rows refused).
#[cfg(feature = "ssr")]
async fn read_import(
    context: &RequestContext,
    cohort: i64,
    import: i64,
) -> Result<
    (
        kring_db::CohortSummary,
        Vec<ImportedInvitee>,
        Vec<RefusedLine>,
    ),
    AppError,
> {
    let (user, summary) = run_cohort(context, cohort).await?;
    let (of, body) = db().import(import, user.id).await?;
    if of != summary.id {
        return Err(context.error(ErrorCode::NotFound));
    }
    let groups: Vec<(String, kring_domain::Language)> = summary
        .language_groups
        .iter()
        .map(|(_, name, language)| (name.clone(), *language))
        .collect();
    let (rows, refused) = invitation::imported_invitees(&records(context, &body)?, &groups)
        .map_err(|error| context.error(list_refused(error)))?;
    Ok((summary, rows, refused))
}

/// What a kept file would send, and what it cannot.
#[server(endpoint = "people/import/preview")]
pub async fn load_import(cohort: i64, import: i64) -> Result<ImportPreview, AppError> {
    let context = request_context();
    let (summary, rows, refused) = read_import(&context, cohort, import).await?;
    let language = context.viewer.language;
    Ok(ImportPreview {
        cohort,
        import,
        cohort_name: summary.name.clone(),
        rows: rows
            .iter()
            .map(|row| ImportRow {
                line: row.line,
                name: row
                    .invitee
                    .name
                    .as_ref()
                    .map(|name| name.as_str().to_owned())
                    .unwrap_or_default(),
                email: row.invitee.email.as_str().to_owned(),
                organisation: row
                    .organisation
                    .as_ref()
                    .map(|name| name.as_str().to_owned()),
                country: row.country.name(language).to_owned(),
                group: summary.language_groups[row.group].1.clone(),
            })
            .collect(),
        refused: refused
            .into_iter()
            .map(|line| {
                let reason = ErrorCode::Invalid(line.reason).message(language);
                (line.line, line.text, reason)
            })
            .collect(),
    })
}

/// Mails the invitations of a previewed file, all or none, valid for `days`.
#[server(endpoint = "people/import/send")]
pub async fn send_import(cohort: i64, import: i64, days: String) -> Result<(), AppError> {
    let context = request_context();
    let days = invitation::valid_days(&days)?;
    let (summary, rows, refused) = read_import(&context, cohort, import).await?;
    if !refused.is_empty() {
        return Err(context.error(list_refused(invitation::InviteeListError::Lines(refused))));
    }
    let user = context.require_user()?;
    let expires_at = kring_db::now() + days * 86_400;
    let invitations: Vec<_> = rows
        .into_iter()
        .map(|row| {
            let (group, _, language) = summary.language_groups[row.group].clone();
            kring_db::MailedInvitation {
                terms: kring_db::NewInvitation {
                    cohort: summary.id,
                    group: Some(group),
                    role: kring_domain::Role::Participant,
                    language,
                    expires_at,
                    created_by: user.id,
                },
                invitee: row.invitee,
                organisation: row.organisation.map(String::from),
                country: Some(row.country.code().to_owned()),
            }
        })
        .collect();
    mail_invitations(&context, user, &summary, &invitations).await?;
    db().drop_import(import).await?;
    crate::navigation::redirect(&format!(
        "{}?invited={}",
        people_page(cohort),
        invitations.len()
    ));
    Ok(())
}
