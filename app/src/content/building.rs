//! Building a program in the browser: new programs and modules, their titles and
//! summaries per language (numbered revisions; a save on an old base keeps the
//! author's text and shows the other), archiving, publishing, and copying a program.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext, ViewerUser},
};
#[cfg(feature = "ssr")]
use kring_domain::{ModuleId, OutlineSummary, OutlineTitle, ProgramId};

/// The program `kind` `id` belongs to.
#[cfg(feature = "ssr")]
async fn program_of(kind: OutlineKind, id: i64) -> Result<ProgramId, AppError> {
    Ok(match kind {
        OutlineKind::Program => ProgramId(id),
        OutlineKind::Module => db().module_program(ModuleId(id)).await?,
    })
}

/// The requester, if they edit the program `kind` `id` belongs to.
#[cfg(feature = "ssr")]
async fn require_builder(
    context: &RequestContext,
    kind: OutlineKind,
    id: i64,
) -> Result<&ViewerUser, AppError> {
    context.require_facilitator()?;
    context
        .require_program_staff(program_of(kind, id).await?)
        .await
}

/// A facilitator or admin starts a program, written in `language`; a draft until published.
#[server(endpoint = "programs/new")]
pub async fn start_program(
    title: String,
    summary: String,
    language: String,
) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_facilitator()?;
    let title = OutlineTitle::parse(&title)?;
    let summary = OutlineSummary::parse(&summary)?;
    let language = Language::parse(&language)?;
    let program = db()
        .new_program(&title, &summary, language, Some(user.id), false)
        .await?;
    crate::navigation::redirect(&format!("/programs/{}?created=1", program.0));
    Ok(())
}

/// Adds a module at the end of the program, in the program's language.
#[server(endpoint = "programs/modules/add")]
pub async fn add_module(program: i64, title: String, summary: String) -> Result<(), AppError> {
    let context = request_context();
    let user = require_builder(&context, OutlineKind::Program, program).await?;
    let title = OutlineTitle::parse(&title)?;
    let summary = OutlineSummary::parse(&summary)?;
    let module = db()
        .add_module(ProgramId(program), &title, &summary, Some(user.id))
        .await?;
    crate::navigation::redirect(&format!("/programs/{program}#module-{}", module.0));
    Ok(())
}

/// Archives a module (readers no longer see it; its history stays), or brings it back.
#[server(endpoint = "programs/modules/archive")]
pub async fn archive_module(module: i64, archived: bool) -> Result<(), AppError> {
    let context = request_context();
    require_builder(&context, OutlineKind::Module, module).await?;
    let db = db();
    db.set_module_archived(ModuleId(module), archived).await?;
    let program = db.module_program(ModuleId(module)).await?;
    crate::navigation::redirect(&format!("/programs/{}#module-{module}", program.0));
    Ok(())
}

/// Shows the program to the members of cohorts following it, or takes it back.
#[server(endpoint = "programs/publish")]
pub async fn publish_program(program: i64, published: bool) -> Result<(), AppError> {
    let context = request_context();
    require_builder(&context, OutlineKind::Program, program).await?;
    db().set_program_published(ProgramId(program), published)
        .await?;
    crate::navigation::redirect(&format!("/programs/{program}"));
    Ok(())
}

/// Copies the program for a new year under a new name: a draft, with every module
/// (not archived) and unit and their current texts in every language.
#[server(endpoint = "programs/copy")]
pub async fn copy_program(program: i64, name: String) -> Result<(), AppError> {
    let context = request_context();
    let user = require_builder(&context, OutlineKind::Program, program).await?;
    let name = OutlineTitle::parse(&name)?;
    let copy = db()
        .copy_program(ProgramId(program), &name, user.id)
        .await?;
    crate::navigation::redirect(&format!("/programs/{}?copied=1", copy.0));
    Ok(())
}

#[server(endpoint = "programs/texts")]
pub async fn load_outline_editor(
    kind: OutlineKind,
    id: i64,
    language: Option<String>,
    conflict: Option<bool>,
) -> Result<OutlineEditorData, AppError> {
    let context = request_context();
    let user = require_builder(&context, kind, id).await?;
    let db = db();
    let item = kind.item(id);
    let texts = db.outline_texts(item).await?;
    let language = match language.as_deref().filter(|code| !code.is_empty()) {
        Some(code) => Language::parse(code)?,
        None => texts.source_language,
    };
    let current = texts.text(language);
    let draft = db.outline_draft(item, language, user.id).await?;
    let source = (language != texts.source_language)
        .then(|| texts.text(texts.source_language))
        .flatten()
        .map(|text| (text.revision, text.title.clone(), text.summary.clone()));
    // After a refused save the author merges onto the newest text.
    let conflict = match (conflict.unwrap_or(false), current) {
        (true, Some(theirs)) if draft.is_some() => Some((
            theirs.revision,
            theirs.title.clone(),
            theirs.summary.clone(),
        )),
        _ => None,
    };
    let (title, summary, base_number) = match (draft, current) {
        (Some(draft), _) => (draft.title, draft.summary, draft.base_number),
        (None, Some(text)) => (text.title.clone(), text.summary.clone(), text.revision),
        (None, None) => (String::new(), String::new(), 0),
    };
    Ok(OutlineEditorData {
        kind,
        id,
        language,
        source_language: texts.source_language,
        base_number: conflict
            .as_ref()
            .map_or(base_number, |(number, ..)| *number),
        title,
        summary,
        source,
        conflict,
        statuses: Language::ALL
            .into_iter()
            .map(|language| (language, texts.status(language)))
            .collect(),
    })
}

/// Publishes a title and summary as the next revision in their language. A text
/// the rules refuse, or one someone else overtook, is kept as the author's draft
/// and the editor shows it again.
#[server(endpoint = "programs/texts/publish")]
pub async fn publish_outline_text(edit: OutlineEdit) -> Result<(), AppError> {
    use kring_db::{NewOutlineText, OutlinePublished};
    let context = request_context();
    let user = require_builder(&context, edit.kind, edit.id).await?;
    let language = Language::parse(&edit.language)?;
    let db = db();
    let item = edit.kind.item(edit.id);
    let editor = format!("{}/texts?lang={}", edit.kind.path(edit.id), language.code());
    let parsed = OutlineTitle::parse(&edit.title)
        .and_then(|title| Ok((title, OutlineSummary::parse(&edit.summary)?)));
    let (title, summary) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            let keep = |text: &str, max: usize| text.trim().chars().take(max).collect::<String>();
            db.save_outline_draft(
                item,
                language,
                user.id,
                &keep(&edit.title, OutlineTitle::MAX_CHARS),
                &keep(&edit.summary, OutlineSummary::MAX_CHARS),
                edit.base,
            )
            .await?;
            return Err(error.into());
        }
    };
    let texts = db.outline_texts(item).await?;
    // A translation is made from at most the newest source revision.
    let source_number = (language != texts.source_language)
        .then(|| edit.source.unwrap_or(0).clamp(0, texts.source_revision()));
    let outcome = db
        .publish_outline(&NewOutlineText {
            item,
            language,
            base_number: edit.base,
            title,
            summary,
            source_number,
            author: user.id,
        })
        .await?;
    match outcome {
        OutlinePublished::Revision(_) => {
            crate::navigation::redirect(&format!("{editor}&saved=1"));
            Ok(())
        }
        OutlinePublished::Conflict { theirs } => {
            if context.accepts_html {
                crate::navigation::redirect(&format!("{editor}&conflict=1"));
                Ok(())
            } else {
                Err(context.error(ErrorCode::EditConflict {
                    revision: theirs.number,
                }))
            }
        }
    }
}

/// The translation status of the program's and its modules' titles and summaries.
#[cfg(feature = "ssr")]
pub(super) async fn outline_statuses(
    program: ProgramId,
    modules: &[ModuleEntry],
) -> Result<Vec<OutlineStatusRow>, AppError> {
    let db = db();
    let mut rows = Vec::with_capacity(modules.len() + 1);
    let items = std::iter::once((OutlineKind::Program, program.0)).chain(
        modules
            .iter()
            .map(|module| (OutlineKind::Module, module.id)),
    );
    for (kind, id) in items {
        let texts = db.outline_texts(kind.item(id)).await?;
        rows.push(OutlineStatusRow {
            editor: format!("{}/texts", kind.path(id)),
            title: texts
                .text(texts.source_language)
                .map(|text| text.title.clone())
                .unwrap_or_default(),
            statuses: Language::ALL
                .into_iter()
                .map(|language| (language, texts.status(language)))
                .collect(),
        });
    }
    Ok(rows)
}
