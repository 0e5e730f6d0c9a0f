//! Facilitators' server functions: ordering, new and published units, the
//! editor's drafts, publishing and preview, and the revision history.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext, ViewerUser},
};

/// The requester, if they edit the program `unit` belongs to.
#[cfg(feature = "ssr")]
async fn require_unit_author(context: &RequestContext, unit: i64) -> Result<&ViewerUser, AppError> {
    context.require_facilitator()?;
    let program = db().unit_program(kring_domain::UnitId(unit)).await?;
    context.require_program_staff(program).await
}

/// The requester, if they edit the program whose `kind` of items under `parent` they order.
#[cfg(feature = "ssr")]
async fn require_order_author(
    context: &RequestContext,
    kind: OrderKind,
    parent: i64,
) -> Result<&ViewerUser, AppError> {
    context.require_facilitator()?;
    let program = match kind.siblings(parent) {
        kring_db::Siblings::UnitsOf(module) => db().module_program(module).await?,
        kring_db::Siblings::ModulesOf(program) => program,
    };
    context.require_program_staff(program).await
}

/// Moves one item up (`-1`) or down (`1`): the keyboard and no-JavaScript way to reorder.
#[server(endpoint = "order/move")]
pub async fn move_in_order(
    kind: OrderKind,
    parent: i64,
    item: i64,
    by: i64,
) -> Result<(), AppError> {
    let context = request_context();
    require_order_author(&context, kind, parent).await?;
    let db = db();
    let siblings = kind.siblings(parent);
    let mut order = db.order(siblings).await?;
    moved(&mut order, item, by);
    db.reorder(siblings, &order).await?;
    crate::navigation::redirect(&kind.page(parent, item));
    Ok(())
}

/// Saves the order a facilitator dragged the items into (ids, comma-separated).
#[server(endpoint = "order/save")]
pub async fn save_order(kind: OrderKind, parent: i64, order: String) -> Result<(), AppError> {
    use kring_domain::DomainError;
    let context = request_context();
    require_order_author(&context, kind, parent).await?;
    let order = parse_ids(&order)
        .ok_or_else(|| context.error(ErrorCode::Invalid(DomainError::OrderMismatch)))?;
    db().reorder(kind.siblings(parent), &order).await?;
    if context.accepts_html {
        crate::navigation::redirect(&kind.page(parent, order.first().copied().unwrap_or_default()));
    }
    Ok(())
}

/// Adds an unpublished unit at the end of a module and opens its editor.
#[server(endpoint = "units/add")]
pub async fn add_unit(module: i64, title: String) -> Result<(), AppError> {
    use kring_domain::{ModuleId, UnitTitle};
    let context = request_context();
    context.require_facilitator()?;
    let db = db();
    let user = context
        .require_program_staff(db.module_program(ModuleId(module)).await?)
        .await?;
    let title = UnitTitle::parse(&title)?;
    let unit = db.add_unit(ModuleId(module), &title, user.id).await?;
    let language = db.unit_texts(unit).await?.source_language;
    crate::navigation::redirect(&format!("/units/{}/edit?lang={}", unit.0, language.code()));
    Ok(())
}

/// Shows a unit to its readers, or takes it back to facilitators only.
#[server(endpoint = "units/publish")]
pub async fn publish_unit_to_readers(
    module: i64,
    unit: i64,
    published: bool,
) -> Result<(), AppError> {
    let context = request_context();
    require_unit_author(&context, unit).await?;
    db().set_unit_published(kring_domain::UnitId(unit), published)
        .await?;
    crate::navigation::redirect(&format!("/modules/{module}#unit-{unit}"));
    Ok(())
}

#[server(endpoint = "content/editor")]
pub async fn load_editor(
    unit: i64,
    language: String,
    conflict: Option<i64>,
) -> Result<EditorData, AppError> {
    use kring_domain::UnitId;
    let context = request_context();
    let user = require_unit_author(&context, unit).await?;
    let language = Language::parse(&language)?;
    let db = db();
    let texts = db.unit_texts(UnitId(unit)).await?;
    let current = texts.text(language);
    let draft = db.draft(UnitId(unit), language, user.id).await?;
    let source = (language != texts.source_language)
        .then(|| texts.text(texts.source_language))
        .flatten()
        .map(|text| (text.revision, text.title.clone(), text.body.clone()));
    let conflict = match conflict {
        Some(number) => db
            .revision(UnitId(unit), language, number)
            .await?
            .map(|theirs| {
                (
                    theirs.number,
                    theirs.author.unwrap_or_default(),
                    theirs.title,
                    theirs.body,
                )
            }),
        None => None,
    };
    let (title, body, base_number, from_draft) = match (draft, current) {
        (Some(draft), _) => (draft.title, draft.body, draft.base_number, true),
        (None, Some(text)) => (text.title.clone(), text.body.clone(), text.revision, false),
        (None, None) => (String::new(), String::new(), 0, false),
    };
    let conflict_diff = conflict
        .as_ref()
        .map(|(_, _, _, theirs)| kring_domain::diff::line_diff(theirs, &body))
        .unwrap_or_default();
    Ok(EditorData {
        unit,
        language,
        conflict_diff,
        preview_html: kring_domain::markdown::render(&body),
        source_language: texts.source_language,
        // After a conflict the author merges onto the other text's revision.
        base_number: conflict
            .as_ref()
            .map_or(base_number, |(number, ..)| *number),
        title,
        body,
        source,
        from_draft,
        conflict,
    })
}

/// Keeps the author's text as a draft (autosave, or the "save draft" button).
#[server(endpoint = "content/draft")]
pub async fn save_unit_draft(edit: UnitEdit) -> Result<(), AppError> {
    use kring_domain::{DomainError, UnitBody, UnitId, UnitTitle};
    let context = request_context();
    let user = require_unit_author(&context, edit.unit).await?;
    let language = Language::parse(&edit.language)?;
    let body = UnitBody::parse(&edit.body)?;
    // A draft may still lack its title, but never holds more than a title may.
    if edit.title.trim().chars().count() > UnitTitle::MAX_CHARS {
        return Err(context.error(ErrorCode::Invalid(DomainError::UnitTitleTooLong)));
    }
    db().save_draft(
        UnitId(edit.unit),
        language,
        user.id,
        edit.title.trim(),
        &body,
        edit.base,
    )
    .await?;
    if context.accepts_html {
        crate::navigation::redirect(&format!(
            "/units/{}/edit?lang={}&saved=1",
            edit.unit,
            language.code()
        ));
    }
    Ok(())
}

/// Publishes the text as the next revision. If someone published since the
/// editor opened, the text is kept as a draft and the editor shows both.
#[server(endpoint = "content/publish")]
pub async fn publish_unit(edit: UnitEdit) -> Result<(), AppError> {
    use kring_db::{NewText, Published};
    use kring_domain::{UnitBody, UnitId, UnitTitle};
    let context = request_context();
    let user = require_unit_author(&context, edit.unit).await?;
    let language = Language::parse(&edit.language)?;
    let body = UnitBody::parse(&edit.body)?;
    let db = db();
    let unit = UnitId(edit.unit);
    let title = match UnitTitle::parse(&edit.title) {
        Ok(title) => title,
        Err(error) => {
            // A form posted without WebAssembly comes back with the error: keep
            // the text as a draft so the editor shows it again.
            let kept: String = edit
                .title
                .trim()
                .chars()
                .take(UnitTitle::MAX_CHARS)
                .collect();
            db.save_draft(unit, language, user.id, &kept, &body, edit.base)
                .await?;
            return Err(error.into());
        }
    };
    // The source revision a translation was made from is at most the newest
    // one: a client cannot declare a translation current for good.
    let texts = db.unit_texts(unit).await?;
    let source_number = if language == texts.source_language {
        None
    } else {
        edit.source
            .map(|number| number.clamp(0, texts.source_revision()))
    };
    let outcome = db
        .publish(&NewText {
            unit,
            language,
            base_number: edit.base,
            title,
            body: body.clone(),
            source_number,
            author: user.id,
        })
        .await?;
    match outcome {
        Published::Revision(_) => {
            crate::navigation::redirect(&format!("/units/{}?lang={}", edit.unit, language.code()));
            Ok(())
        }
        Published::Conflict { theirs } => {
            db.save_draft(unit, language, user.id, edit.title.trim(), &body, edit.base)
                .await?;
            if context.accepts_html {
                crate::navigation::redirect(&format!(
                    "/units/{}/edit?lang={}&conflict={}",
                    edit.unit,
                    language.code(),
                    theirs.number
                ));
                Ok(())
            } else {
                Err(context.error(ErrorCode::EditConflict {
                    revision: theirs.number,
                }))
            }
        }
    }
}

/// Renders a text as readers will see it, for the editor's live preview.
#[server(endpoint = "content/preview")]
pub async fn preview_unit(body: String) -> Result<String, AppError> {
    let context = request_context();
    context.require_facilitator()?;
    let body = kring_domain::UnitBody::parse(&body)?;
    Ok(kring_domain::markdown::render(body.as_str()))
}

#[server(endpoint = "content/history")]
pub async fn load_history(
    unit: i64,
    language: String,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<HistoryView, AppError> {
    use kring_domain::{UnitBody, UnitId};
    let context = request_context();
    require_unit_author(&context, unit).await?;
    let language = Language::parse(&language)?;
    let revisions = db().revisions(UnitId(unit), language).await?;
    let zone = context.time_zone();
    let viewer_language = context.viewer.language;
    // By default the newest revision is compared with the one before it.
    let newest = revisions.first().map(|r| r.number);
    let to = to.or(newest);
    let from = from.or_else(|| to.map(|to| to - 1));
    let text_of = |number: Option<i64>| {
        revisions
            .iter()
            .find(|r| Some(r.number) == number)
            .map(|r| format!("{}\n\n{}", r.title, r.body))
    };
    let compared = match (from, to) {
        (Some(from), Some(to)) => match (text_of(Some(from)), text_of(Some(to))) {
            (Some(old), Some(new)) => Some((from, to, kring_domain::diff::line_diff(&old, &new))),
            // Revision 0 is "no text yet": everything in the first revision is new.
            (None, Some(new)) if from == 0 => {
                Some((0, to, kring_domain::diff::line_diff("", &new)))
            }
            _ => None,
        },
        _ => None,
    };
    let revisions = revisions
        .into_iter()
        .map(|revision| RevisionEntry {
            number: revision.number,
            words: UnitBody::parse(&revision.body).map_or(0, |body| body.word_count()),
            title: revision.title,
            author: revision.author,
            when: kring_domain::time_text::moment(revision.created_at, &zone, viewer_language),
            restored_from: revision.restored_from,
            source_number: revision.source_number,
        })
        .collect();
    Ok(HistoryView {
        unit,
        language,
        revisions,
        compared,
    })
}

/// Brings back an old revision's text as the newest revision. `base` is the
/// revision the facilitator saw as current: if someone published since, nothing happens.
#[server(endpoint = "content/restore")]
pub async fn restore_revision(
    unit: i64,
    language: String,
    number: i64,
    base: i64,
) -> Result<(), AppError> {
    use kring_db::Published;
    use kring_domain::UnitId;
    let context = request_context();
    let user = require_unit_author(&context, unit).await?;
    let language = Language::parse(&language)?;
    match db()
        .restore(UnitId(unit), language, number, base, user.id)
        .await?
    {
        Published::Revision(new) => {
            crate::navigation::redirect(&format!(
                "/units/{unit}/history?lang={}&restored={new}",
                language.code()
            ));
            Ok(())
        }
        Published::Conflict { theirs } => Err(context.error(ErrorCode::EditConflict {
            revision: theirs.number,
        })),
    }
}
