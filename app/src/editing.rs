//! Facilitators edit unit texts: drafts that are saved as they type, publishing
//! that names the revision it started from, and a conflict view when someone
//! else published first. Nothing typed is ever dropped: a refused publish keeps
//! the text as the author's draft.

use crate::components::{ErrorNotice, LabeledField};
use crate::content::language_name;
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext},
};

/// What the editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorData {
    pub unit: i64,
    pub language: Language,
    pub source_language: Language,
    pub title: String,
    pub body: String,
    /// The revision this text starts from (0: no text in this language yet).
    pub base_number: i64,
    /// The source text beside a translation: (revision, title, body).
    pub source: Option<(i64, String, String)>,
    /// Set when the text is the author's saved draft rather than the published one.
    pub from_draft: bool,
    /// Someone else's published text that conflicts with the draft: (revision, author, title, body).
    pub conflict: Option<(i64, String, String, String)>,
}

/// One save from the editor: the text and the revision it started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEdit {
    pub unit: i64,
    pub language: String,
    pub base: i64,
    pub title: String,
    pub body: String,
    /// For a translation: the source revision shown beside it.
    pub source: Option<i64>,
}

#[cfg(feature = "ssr")]
fn editor_error(context: &RequestContext, error: kring_db::DbError) -> AppError {
    match error {
        kring_db::DbError::NotFound => context.error(ErrorCode::NotFound),
        kring_db::DbError::Invalid(error) => context.error(ErrorCode::Invalid(error)),
        other => context.internal(other),
    }
}

#[cfg(feature = "ssr")]
fn parse_language(context: &RequestContext, code: &str) -> Result<Language, AppError> {
    Language::parse(code).map_err(|e| context.error(ErrorCode::Invalid(e)))
}

#[server(endpoint = "content/editor")]
pub async fn load_editor(
    unit: i64,
    language: String,
    conflict: Option<i64>,
) -> Result<EditorData, AppError> {
    use kring_domain::UnitId;
    let context = request_context();
    let user = context.require_facilitator()?;
    let language = parse_language(&context, &language)?;
    let db = db();
    let texts = db
        .unit_texts(UnitId(unit))
        .await
        .map_err(|e| editor_error(&context, e))?;
    let current = texts.text(language);
    let draft = db
        .draft(UnitId(unit), language, user.id)
        .await
        .map_err(|e| editor_error(&context, e))?;
    let source = (language != texts.source_language)
        .then(|| texts.text(texts.source_language))
        .flatten()
        .map(|text| (text.revision, text.title.clone(), text.body.clone()));
    let conflict = match conflict {
        Some(number) => db
            .revision(UnitId(unit), language, number)
            .await
            .map_err(|e| editor_error(&context, e))?
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
    Ok(EditorData {
        unit,
        language,
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
    use kring_domain::{UnitBody, UnitId};
    let context = request_context();
    let user = context.require_facilitator()?;
    let language = parse_language(&context, &edit.language)?;
    let body = UnitBody::parse(&edit.body).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    db().save_draft(
        UnitId(edit.unit),
        language,
        user.id,
        edit.title.trim(),
        &body,
        edit.base,
    )
    .await
    .map_err(|e| editor_error(&context, e))?;
    if context.accepts_html {
        leptos_axum::redirect(&format!(
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
    let user = context.require_facilitator()?;
    let language = parse_language(&context, &edit.language)?;
    let invalid = |e| context.error(ErrorCode::Invalid(e));
    let body = UnitBody::parse(&edit.body).map_err(invalid)?;
    let title = UnitTitle::parse(&edit.title).map_err(invalid)?;
    let db = db();
    let unit = UnitId(edit.unit);
    let outcome = db
        .publish(&NewText {
            unit,
            language,
            base_number: edit.base,
            title,
            body: body.clone(),
            source_number: edit.source,
            author: user.id,
        })
        .await
        .map_err(|e| editor_error(&context, e))?;
    match outcome {
        Published::Revision(_) => {
            leptos_axum::redirect(&format!("/units/{}?lang={}", edit.unit, language.code()));
            Ok(())
        }
        Published::Conflict { theirs } => {
            db.save_draft(unit, language, user.id, edit.title.trim(), &body, edit.base)
                .await
                .map_err(|e| editor_error(&context, e))?;
            if context.accepts_html {
                leptos_axum::redirect(&format!(
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

/// `/units/:id/edit?lang=es`: the text, the source beside a translation, and
/// the other person's text after a conflict. Works as a plain form.
#[component]
pub fn EditUnitPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let id = crate::components::route_id();
    let (language, conflict, saved) = use_query_map().with_untracked(|q| {
        (
            q.get("lang").unwrap_or_else(|| "en".to_owned()),
            q.get("conflict").and_then(|n| n.parse::<i64>().ok()),
            q.get("saved").is_some(),
        )
    });
    let publish = ServerAction::<PublishUnit>::new();
    let draft = ServerAction::<SaveUnitDraft>::new();
    let error = Signal::derive(move || {
        publish
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| draft.value().get().and_then(Result::err))
    });
    let data = Resource::new_blocking(
        move || (id, language.clone(), conflict),
        |(id, language, conflict)| load_editor(id, language, conflict),
    );
    view! {
        <Title text=td_string!(t, edit_title)/>
        <ErrorNotice error/>
        {saved.then(|| view! { <p class="notice success" role="status">{td_string!(t, edit_draft_saved)}</p> })}
        <Suspense>
            {move || Suspend::new(async move {
                let editor = match data.await {
                    Ok(editor) => editor,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let code = editor.language.code();
                let (unit, base) = (editor.unit, editor.base_number);
                let source_number = editor.source.as_ref().map(|(number, ..)| *number);
                let hidden = move || view! {
                    <input type="hidden" name="edit[unit]" value=unit.to_string()/>
                    <input type="hidden" name="edit[language]" value=code/>
                    <input type="hidden" name="edit[base]" value=base.to_string()/>
                    {source_number.map(|number| view! { <input type="hidden" name="edit[source]" value=number.to_string()/> })}
                };
                view! {
                    <h1>{td_string!(t, edit_title)} " · " {language_name(t, editor.language)}</h1>
                    <p><a href=format!("/units/{}?lang={code}", editor.unit)>{td_string!(t, edit_back)}</a></p>
                    {editor.from_draft.then(|| view! { <p class="notice">{td_string!(t, edit_from_draft)}</p> })}
                    {editor.conflict.clone().map(|(number, author, title, body)| view! {
                        <section class="card conflict" role="alert">
                            <h2>{td_string!(t, edit_conflict).replace("%author%", &author).replace("%number%", &number.to_string())}</h2>
                            <p>{td_string!(t, edit_conflict_explain)}</p>
                            <div class="side-by-side">
                                <div><h3>{td_string!(t, edit_theirs)}</h3><h4>{title}</h4><pre class="text">{body}</pre></div>
                                <div><h3>{td_string!(t, edit_yours)}</h3><h4>{editor.title.clone()}</h4><pre class="text">{editor.body.clone()}</pre></div>
                            </div>
                        </section>
                    })}
                    <div class:side-by-side=editor.source.is_some()>
                        {editor.source.clone().map(|(number, title, body)| view! {
                            <section class="card source" lang=editor.source_language.code()>
                                <h2>{td_string!(t, edit_source).replace("%language%", language_name(t, editor.source_language)).replace("%number%", &number.to_string())}</h2>
                                <h3>{title}</h3>
                                <pre class="text">{body}</pre>
                            </section>
                        })}
                        <ActionForm action=publish attr:class="card editor">
                            {hidden()}
                            <LabeledField label=td_string!(t, edit_unit_title)>
                                <input type="text" name="edit[title]" maxlength="200" required value=editor.title.clone() lang=code/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, edit_body) hint=td_string!(t, edit_body_hint)>
                                <textarea name="edit[body]" rows="20" lang=code>{editor.body.clone()}</textarea>
                            </LabeledField>
                            <p class="actions">
                                <button type="submit">{td_string!(t, edit_publish)}</button>
                                <button type="submit" class="secondary" formaction="/api/content/draft">{td_string!(t, edit_save_draft)}</button>
                            </p>
                        </ActionForm>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}
