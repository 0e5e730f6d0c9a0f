//! Readers' server functions: a unit, a program, a module and progress.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext, ViewerUser},
};

/// A unit for the signed-in reader, in `language` when given (the per-unit
/// switch), else the interface language, else the source language.
#[server(endpoint = "content/unit")]
pub async fn load_unit(id: i64, language: Option<String>) -> Result<UnitView, AppError> {
    use kring_domain::{shown_language, TranslationStatus, UnitId};
    let context = request_context();
    context.require_user()?;
    let db = db();
    let texts = db.unit_texts(UnitId(id)).await?;
    let (user, staff) = crate::content::require_reader(&context, texts.program).await?;
    if !texts.readable() && !staff {
        return Err(context.error(ErrorCode::NotFound));
    }
    let reader = kring_db::Reader {
        user: user.id,
        language: context.viewer.language,
        staff,
    };
    let module = db
        .program_outline(texts.program, Some(texts.module), reader)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let position = module.units.iter().position(|unit| unit.id.0 == id);
    let neighbour = |index: Option<usize>| {
        index
            .and_then(|index| module.units.get(index))
            .map(|unit| (unit.id.0, unit.title.clone()))
    };
    let previous = neighbour(position.and_then(|p| p.checked_sub(1)));
    let next = neighbour(position.map(|p| p + 1));
    let done = position.is_some_and(|p| module.units[p].done);
    let wanted = language
        .as_deref()
        .and_then(|code| Language::parse(code).ok())
        .unwrap_or(context.viewer.language);
    let languages: Vec<Language> = texts.texts.iter().map(|text| text.language).collect();
    let shown = shown_language(wanted, texts.source_language, &languages);
    let text = texts
        .text(shown)
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let cache = crate::rendered::RenderCache::provided();
    let status = TranslationStatus::of(
        shown == texts.source_language,
        texts.source_revision(),
        Some(text.translated_from()),
    );
    Ok(UnitView {
        id,
        title: text.title.clone(),
        html: cache.unit(id, shown, text.revision, &text.body).to_string(),
        shown,
        wanted,
        languages,
        outdated: status == TranslationStatus::Outdated,
        draft: !texts.published,
        may_edit: staff,
        done,
        module: (module.id.0, module.title),
        previous,
        next,
    })
}

/// The signed-in reader, if they may read `program`, and whether they edit it:
/// those who run a cohort following it read and edit it (admins every program,
/// facilitators the ones they created), members read the published programs their
/// cohorts follow.
#[cfg(feature = "ssr")]
pub async fn require_reader(
    context: &RequestContext,
    program: kring_domain::ProgramId,
) -> Result<(&ViewerUser, bool), AppError> {
    let user = context.require_user()?;
    let db = db();
    if db.runs_program(user.id, user.role, program).await? {
        return Ok((user, true));
    }
    // A program (a new one, or a copy for next year) is a draft until published.
    if db.follows_program(user.id, program).await? && db.program_published(program).await? {
        Ok((user, false))
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

#[cfg(feature = "ssr")]
fn reader(context: &RequestContext, user: &ViewerUser, staff: bool) -> kring_db::Reader {
    kring_db::Reader {
        user: user.id,
        language: context.viewer.language,
        staff,
    }
}

#[server(endpoint = "program")]
pub async fn load_program(id: i64) -> Result<ProgramView, AppError> {
    use kring_domain::ProgramId;
    let context = request_context();
    let program = ProgramId(id);
    let (user, staff) = require_reader(&context, program).await?;
    let db = db();
    let name = db.program_name(program, context.viewer.language).await?;
    let modules: Vec<ModuleEntry> = db
        .program_outline(program, None, reader(&context, user, staff))
        .await?
        .into_iter()
        .map(ModuleEntry::from)
        .collect();
    let last = db.last_visited(user.id, program).await?;
    let continue_at = last.and_then(|last| {
        modules
            .iter()
            .flat_map(|module| &module.units)
            .find(|unit| unit.id == last.0)
            .map(|unit| (unit.id, unit.title.clone()))
    });
    let outline = if staff {
        super::building::outline_statuses(program, &modules).await?
    } else {
        Vec::new()
    };
    Ok(ProgramView {
        id,
        name,
        published: db.program_published(program).await?,
        outline,
        modules,
        continue_at,
        staff,
    })
}

#[server(endpoint = "module")]
pub async fn load_module(id: i64) -> Result<ModuleView, AppError> {
    use kring_domain::ModuleId;
    let context = request_context();
    let module = ModuleId(id);
    let db = db();
    let program = db.module_program(module).await?;
    let (user, staff) = require_reader(&context, program).await?;
    let entry = db
        .program_outline(program, Some(module), reader(&context, user, staff))
        .await?
        .into_iter()
        .next()
        .map(ModuleEntry::from)
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let matrix = if staff {
        Some(
            db.translation_matrix(module)
                .await?
                .into_iter()
                .map(|row| StatusRow {
                    unit: row.unit.0,
                    title: row.title,
                    published: row.published,
                    statuses: row.statuses,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(ModuleView {
        program: program.0,
        program_name: db.program_name(program, context.viewer.language).await?,
        module: entry,
        matrix,
    })
}

/// A reader marks a unit done (or not done again).
#[server(endpoint = "units/done")]
pub async fn mark_unit_done(unit: i64, done: bool) -> Result<(), AppError> {
    use kring_domain::UnitId;
    let context = request_context();
    let db = db();
    let texts = db.unit_texts(UnitId(unit)).await?;
    let (user, staff) = require_reader(&context, texts.program).await?;
    if !texts.readable() && !staff {
        return Err(context.error(ErrorCode::NotFound));
    }
    db.set_done(user.id, UnitId(unit), done).await?;
    crate::navigation::redirect(&format!("/units/{unit}"));
    Ok(())
}

/// A reader opened a unit: "continue where you stopped" leads back to it.
/// Posted by the unit page once shown, never recorded by loading it.
#[server(endpoint = "units/visited")]
pub async fn record_visit(unit: i64) -> Result<(), AppError> {
    use kring_domain::UnitId;
    let context = request_context();
    let db = db();
    let texts = db.unit_texts(UnitId(unit)).await?;
    let (user, staff) = require_reader(&context, texts.program).await?;
    if !texts.readable() && !staff {
        return Err(context.error(ErrorCode::NotFound));
    }
    Ok(db.record_visit(user.id, UnitId(unit)).await?)
}
