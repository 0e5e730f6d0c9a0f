//! Facilitators edit unit texts: drafts that are saved as they type, publishing
//! that names the revision it started from, and a conflict view when someone
//! else published first. Nothing typed is ever dropped: a refused publish keeps
//! the text as the author's draft.

use crate::components::{ErrorNotice, TextArea};
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
    /// What differs from their text to the author's, line by line.
    pub conflict_diff: Vec<kring_domain::diff::DiffLine>,
    /// The text rendered as readers will see it.
    pub preview_html: String,
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
        .map_err(|e| context.db_error(e))?;
    let current = texts.text(language);
    let draft = db
        .draft(UnitId(unit), language, user.id)
        .await
        .map_err(|e| context.db_error(e))?;
    let source = (language != texts.source_language)
        .then(|| texts.text(texts.source_language))
        .flatten()
        .map(|text| (text.revision, text.title.clone(), text.body.clone()));
    let conflict = match conflict {
        Some(number) => db
            .revision(UnitId(unit), language, number)
            .await
            .map_err(|e| context.db_error(e))?
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
    let user = context.require_facilitator()?;
    let language = parse_language(&context, &edit.language)?;
    let body = UnitBody::parse(&edit.body).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
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
    .await
    .map_err(|e| context.db_error(e))?;
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
    let user = context.require_facilitator()?;
    let language = parse_language(&context, &edit.language)?;
    let invalid = |e| context.error(ErrorCode::Invalid(e));
    let body = UnitBody::parse(&edit.body).map_err(invalid)?;
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
                .await
                .map_err(|e| context.db_error(e))?;
            return Err(invalid(error));
        }
    };
    // The source revision a translation was made from is at most the newest
    // one: a client cannot declare a translation current for good.
    let texts = db.unit_texts(unit).await.map_err(|e| context.db_error(e))?;
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
        .await
        .map_err(|e| context.db_error(e))?;
    match outcome {
        Published::Revision(_) => {
            crate::navigation::redirect(&format!("/units/{}?lang={}", edit.unit, language.code()));
            Ok(())
        }
        Published::Conflict { theirs } => {
            db.save_draft(unit, language, user.id, edit.title.trim(), &body, edit.base)
                .await
                .map_err(|e| context.db_error(e))?;
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
    let body =
        kring_domain::UnitBody::parse(&body).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    Ok(kring_domain::markdown::render(body.as_str()))
}

/// `/units/:id/edit?lang=es`: the text, the source beside a translation, and
/// the other person's text after a conflict. Works as a plain form; with
/// WebAssembly the editor adds a live preview, a toolbar and autosave.
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
    // The editor's forms post to these; a refused post comes back here with its error.
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
                let edit = UnitEdit {
                    unit: editor.unit,
                    language: code.to_owned(),
                    base: editor.base_number,
                    title: editor.title.clone(),
                    body: editor.body.clone(),
                    source: editor.source.as_ref().map(|(number, ..)| *number),
                };
                view! {
                    <h1>{td_string!(t, edit_title)} " · " {language_name(t, editor.language)}</h1>
                    <p class="actions">
                        <a href=format!("/units/{}?lang={code}", editor.unit)>{td_string!(t, edit_back)}</a>
                        <a href=format!("/units/{}/history?lang={code}", editor.unit)>{td_string!(t, history_title)}</a>
                        <span class="languages">
                            {td_string!(t, edit_other_language)} ": "
                            {Language::ALL.into_iter().filter(|l| *l != editor.language).map(|other| view! {
                                <a href=format!("/units/{}/edit?lang={}", editor.unit, other.code()) lang=other.code()>{other.native_name()}</a> " "
                            }).collect_view()}
                        </span>
                    </p>
                    {editor.from_draft.then(|| view! { <p class="notice">{td_string!(t, edit_from_draft)}</p> })}
                    {editor.conflict.clone().map(|(number, author, title, body)| view! {
                        <section class="card conflict" role="alert">
                            <h2>{td_string!(t, edit_conflict).replace("%author%", &author).replace("%number%", &number.to_string())}</h2>
                            <p>{td_string!(t, edit_conflict_explain)}</p>
                            <div class="side-by-side">
                                <div><h3>{td_string!(t, edit_theirs)}</h3><h4>{title}</h4><pre class="text">{body}</pre></div>
                                <div><h3>{td_string!(t, edit_yours)}</h3><h4>{editor.title.clone()}</h4><pre class="text">{editor.body.clone()}</pre></div>
                            </div>
                            <h3>{td_string!(t, edit_conflict_changes)}</h3>
                            <crate::history::DiffView lines=editor.conflict_diff.clone()/>
                        </section>
                    })}
                    <div class:side-by-side=editor.source.is_some()>
                        {editor.source.clone().map(|(number, title, body)| view! {
                            <section class="card source" lang=editor.source_language.code()>
                                <h2>{td_string!(t, edit_source).replace("%language%", language_name(t, editor.source_language)).replace("%number%", &number.to_string())}</h2>
                                <h3>{title}</h3>
                                <ol class="paragraphs">
                                    {kring_domain::paragraphs(&body).into_iter().map(|paragraph| view! { <li><pre class="text">{paragraph.to_owned()}</pre></li> }).collect_view()}
                                </ol>
                            </section>
                        })}
                        <UnitEditor edit editor=use_viewer().user.map_or(0, |user| user.id.0)
                            preview_html=editor.preview_html.clone() labels=editor_labels(t)/>
                    </div>
                    {editor.source.clone().map(|(_, _, source)| view! {
                        <ParagraphPairs source_language=editor.source_language language=editor.language source body=editor.body.clone()/>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// A translation beside its source, paragraph by paragraph, so a missing or
/// extra paragraph stands out.
#[component]
fn ParagraphPairs(
    source_language: Language,
    language: Language,
    source: String,
    body: String,
) -> impl IntoView {
    let t = use_viewer().locale();
    let sources = kring_domain::paragraphs(&source);
    let translations = kring_domain::paragraphs(&body);
    let rows = sources.len().max(translations.len());
    view! {
        <section class="card">
            <h2>{td_string!(t, edit_paragraphs)}</h2>
            <div class="table-scroll">
                <table class="paragraph-pairs">
                    <thead><tr>
                        <th scope="col">"¶"</th>
                        <th scope="col">{language_name(t, source_language)}</th>
                        <th scope="col">{language_name(t, language)}</th>
                    </tr></thead>
                    <tbody>
                        {(0..rows).map(|row| {
                            let source = sources.get(row).map(|p| p.to_string());
                            let translation = translations.get(row).map(|p| p.to_string());
                            let missing = translation.is_none();
                            view! {
                                <tr class:missing=missing>
                                    <td>{row + 1}</td>
                                    <td lang=source_language.code()>{source.unwrap_or_default()}</td>
                                    <td lang=language.code()>{translation.unwrap_or_else(|| td_string!(t, edit_paragraph_missing).to_owned())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The editor's words, in the facilitator's language (islands get no context from the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorLabels {
    pub title: String,
    pub body: String,
    pub hint: String,
    pub publish: String,
    pub save_draft: String,
    pub preview: String,
    pub words: String,
    pub unsaved: String,
    pub saving: String,
    pub saved: String,
    pub failed: String,
    pub kept_locally: String,
    pub restore: String,
    pub discard: String,
    pub toolbar: String,
    pub bold: String,
    pub italic: String,
    pub heading: String,
    pub list: String,
    pub quote: String,
    pub link: String,
}

fn editor_labels(t: Locale) -> EditorLabels {
    EditorLabels {
        title: td_string!(t, edit_unit_title).to_owned(),
        body: td_string!(t, edit_body).to_owned(),
        hint: td_string!(t, edit_body_hint).to_owned(),
        publish: td_string!(t, edit_publish).to_owned(),
        save_draft: td_string!(t, edit_save_draft).to_owned(),
        preview: td_string!(t, edit_preview).to_owned(),
        words: td_string!(t, edit_words).to_owned(),
        unsaved: td_string!(t, edit_unsaved).to_owned(),
        saving: td_string!(t, edit_saving).to_owned(),
        saved: td_string!(t, edit_autosaved).to_owned(),
        failed: td_string!(t, edit_save_failed).to_owned(),
        kept_locally: td_string!(t, edit_kept_locally).to_owned(),
        restore: td_string!(t, edit_restore_local).to_owned(),
        discard: td_string!(t, edit_discard_local).to_owned(),
        toolbar: td_string!(t, edit_toolbar).to_owned(),
        bold: td_string!(t, edit_bold).to_owned(),
        italic: td_string!(t, edit_italic).to_owned(),
        heading: td_string!(t, edit_heading).to_owned(),
        list: td_string!(t, edit_list).to_owned(),
        quote: td_string!(t, edit_quote).to_owned(),
        link: td_string!(t, edit_link).to_owned(),
    }
}

/// Where the author's text stands against what the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaveState {
    /// As loaded: nothing to save.
    Clean,
    /// Typed since the last save.
    Unsaved,
    Saving,
    Saved,
    /// The last save failed (offline?); the text is kept in this browser and saved again.
    Failed,
    /// The server refused the text (with a message); tried again after the next change.
    Refused,
}

/// How often typed text is saved as a draft.
const AUTOSAVE_EVERY: std::time::Duration = std::time::Duration::from_secs(4);
/// How long typing pauses before the preview is rendered again.
const PREVIEW_AFTER: std::time::Duration = std::time::Duration::from_millis(500);

/// The unit editor. Server-rendered it is a plain form (publish or save a
/// draft); hydrated it previews as you type, saves drafts every few seconds
/// and when you leave a field, keeps a copy in the browser until the server
/// has it, and warns before leaving with unsaved text. `editor` is who edits:
/// browser copies are kept per person, so someone else signing in on the
/// same browser is never offered them.
#[island]
pub fn UnitEditor(
    edit: UnitEdit,
    editor: i64,
    preview_html: String,
    labels: EditorLabels,
) -> impl IntoView {
    use crate::browser::{json_string, post_form, PostError};
    use kring_domain::text_edit::Selected;
    use leptos::server_fn::ServerFn;
    let (title, set_title) = signal(edit.title.clone());
    let (body, set_body) = signal(edit.body.clone());
    let (preview, set_preview) = signal(preview_html);
    let (state, set_state) = signal(SaveState::Clean);
    let (ready, set_ready) = signal(false);
    let (kept, set_kept) = signal(None::<(i64, String, String)>);
    let (refusal, set_refusal) = signal(String::new());
    // The revision the text builds on; a restored browser copy brings its own.
    let (base, set_base) = signal(edit.base);
    // One save at a time, so an older text never lands after a newer one.
    let in_flight = StoredValue::new(false);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let title_input = NodeRef::<leptos::html::Input>::new();
    let labels = StoredValue::new(labels);
    let edit = StoredValue::new(edit);
    let typed = StoredValue::new(0u64);
    let local_key = edit.with_value(|e| format!("kring-unit-{editor}-{}-{}", e.unit, e.language));
    let local_key = StoredValue::new(local_key);

    let save = move || {
        if in_flight.get_value()
            || !matches!(
                state.get_untracked(),
                SaveState::Unsaved | SaveState::Failed
            )
        {
            return;
        }
        in_flight.set_value(true);
        set_state.set(SaveState::Saving);
        let draft = edit.get_value();
        let (unit, base) = (draft.unit.to_string(), base.get_untracked().to_string());
        let source = draft.source.map(|number| number.to_string());
        let (title, body) = (title.get_untracked(), body.get_untracked());
        leptos::task::spawn_local(async move {
            let mut fields = vec![
                ("edit[unit]", unit.as_str()),
                ("edit[language]", draft.language.as_str()),
                ("edit[base]", base.as_str()),
                ("edit[title]", title.as_str()),
                ("edit[body]", body.as_str()),
            ];
            if let Some(source) = &source {
                fields.push(("edit[source]", source));
            }
            let outcome = post_form(SaveUnitDraft::PATH, &fields).await;
            in_flight.set_value(false);
            // Typing during the save keeps the newer text unsaved, for the next save.
            if state.get_untracked() != SaveState::Saving {
                return;
            }
            match outcome {
                Ok(_) => {
                    set_state.set(SaveState::Saved);
                    local_copy::forget(&local_key.get_value());
                }
                Err(PostError::Unreachable) => set_state.set(SaveState::Failed),
                Err(PostError::Refused(message)) => {
                    set_refusal.set(message);
                    set_state.set(SaveState::Refused);
                }
            }
        });
    };

    let changed = move || {
        set_state.set(SaveState::Unsaved);
        local_copy::keep(
            &local_key.get_value(),
            base.get_untracked(),
            &title.get_untracked(),
            &body.get_untracked(),
        );
        typed.update_value(|n| *n += 1);
        let ticket = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() != ticket {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let body = body.get_untracked();
                    let rendered = post_form(PreviewUnit::PATH, &[("body", &body)]).await;
                    if let Some(html) = rendered.ok().as_deref().and_then(json_string) {
                        set_preview.set(html);
                    }
                });
            },
            PREVIEW_AFTER,
        );
    };

    // Applies a toolbar change to the textarea, keeping the selection on the changed text.
    let apply = move |change: &dyn Fn(&Selected) -> Selected| {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let start = element.selection_start().ok().flatten().unwrap_or(0);
        let end = element.selection_end().ok().flatten().unwrap_or(start);
        let result = change(&Selected::new(&element.value(), start, end));
        element.set_value(&result.text);
        let _ = element.focus();
        let _ = element.set_selection_range(result.start, result.end);
        set_body.set(result.text);
        changed();
    };
    let bold = move || apply(&|s| s.wrap("**", "**", &labels.with_value(|l| l.bold.clone())));
    let italic = move || apply(&|s| s.wrap("_", "_", &labels.with_value(|l| l.italic.clone())));
    let link =
        move || apply(&|s| s.wrap("[", "](https://)", &labels.with_value(|l| l.link.clone())));

    Effect::new(move |_| {
        set_ready.set(true);
        set_interval(save, AUTOSAVE_EVERY);
        let _ = window_event_listener_untyped("beforeunload", move |event| {
            if !matches!(state.get_untracked(), SaveState::Clean | SaveState::Saved) {
                event.prevent_default();
            }
        });
        // A copy left by a crash or a lost connection is offered back. Only a
        // copy that was published, and has been built on since, is history already.
        if let Some(copy) = local_copy::read(&local_key.get_value()) {
            let same = copy.title == title.get_untracked() && copy.body == body.get_untracked();
            let published = copy.submitted && copy.base != base.get_untracked();
            if same || published {
                local_copy::forget(&local_key.get_value());
            } else {
                set_kept.set(Some((copy.base, copy.title, copy.body)));
            }
        }
    });

    let restore = move |_| {
        if let Some((kept_base, kept_title, kept_body)) = kept.get_untracked() {
            if let Some(element) = area.get_untracked() {
                element.set_value(&kept_body);
            }
            if let Some(input) = title_input.get_untracked() {
                input.set_value(&kept_title);
            }
            set_title.set(kept_title);
            set_body.set(kept_body);
            // Built on an older revision, it meets the newer one in the conflict view.
            set_base.set(kept_base);
            set_kept.set(None);
            changed();
        }
    };
    let discard = move |_| {
        local_copy::forget(&local_key.get_value());
        set_kept.set(None);
    };
    let label = move |pick: fn(&EditorLabels) -> &String| labels.with_value(|l| pick(l).clone());
    let status = move || match state.get() {
        SaveState::Clean => String::new(),
        SaveState::Unsaved => label(|l| &l.unsaved),
        SaveState::Saving => label(|l| &l.saving),
        SaveState::Saved => label(|l| &l.saved),
        SaveState::Failed => label(|l| &l.failed),
        SaveState::Refused => refusal.get(),
    };
    let words = move || {
        label(|l| &l.words).replace(
            "%count%",
            &body.with(|b| b.split_whitespace().count()).to_string(),
        )
    };
    let (unit, language, source) =
        edit.with_value(|e| (e.unit.to_string(), e.language.clone(), e.source));
    let submit = move |_| {
        local_copy::mark_submitted(&local_key.get_value());
        set_state.set(SaveState::Clean);
    };
    view! {
        <form method="post" action="/api/content/publish" class="card editor" on:submit=submit>
            {move || kept.get().map(|_| view! {
                <p class="notice" role="alert">
                    {label(|l| &l.kept_locally)} " "
                    <button type="button" on:click=restore>{label(|l| &l.restore)}</button> " "
                    <button type="button" class="secondary" on:click=discard>{label(|l| &l.discard)}</button>
                </p>
            })}
            <input type="hidden" name="edit[unit]" value=unit/>
            <input type="hidden" name="edit[language]" value=language.clone()/>
            <input type="hidden" name="edit[base]" value=move || base.get().to_string()/>
            {source.map(|number| view! { <input type="hidden" name="edit[source]" value=number.to_string()/> })}
            <label class="field">
                <span class="label">{label(|l| &l.title)}</span>
                <input type="text" name="edit[title]" maxlength="200" required lang=language.clone()
                    node_ref=title_input value=title.get_untracked()
                    on:input=move |event| { set_title.set(event_target_value(&event)); changed(); }
                    on:blur=move |_| save()/>
            </label>
            <div class="toolbar" role="toolbar" aria-label=label(|l| &l.toolbar) hidden=move || !ready.get()>
                <button type="button" class="secondary small" title=move || format!("{} (Ctrl+B)", label(|l| &l.bold)) aria-label=label(|l| &l.bold) on:click=move |_| bold()><strong>"B"</strong></button>
                <button type="button" class="secondary small" title=move || format!("{} (Ctrl+I)", label(|l| &l.italic)) aria-label=label(|l| &l.italic) on:click=move |_| italic()><em>"I"</em></button>
                <button type="button" class="secondary small" title=label(|l| &l.heading) aria-label=label(|l| &l.heading) on:click=move |_| apply(&|s| s.toggle_line_prefix("## "))>"H"</button>
                <button type="button" class="secondary small" title=label(|l| &l.list) aria-label=label(|l| &l.list) on:click=move |_| apply(&|s| s.toggle_line_prefix("- "))>"•"</button>
                <button type="button" class="secondary small" title=label(|l| &l.quote) aria-label=label(|l| &l.quote) on:click=move |_| apply(&|s| s.toggle_line_prefix("> "))>"❝"</button>
                <button type="button" class="secondary small" title=move || format!("{} (Ctrl+K)", label(|l| &l.link)) aria-label=label(|l| &l.link) on:click=move |_| link()>"🔗"</button>
            </div>
            <label class="field">
                <span class="label">{label(|l| &l.body)}</span>
                <TextArea name="edit[body]" text=body.get_untracked() node_ref=area
                    attr:rows="20" attr:maxlength="200000" attr:lang=language
                    on:input=move |event| { set_body.set(event_target_value(&event)); changed(); }
                    on:blur=move |_| save()
                    on:keydown=move |event| {
                        if !(event.ctrl_key() || event.meta_key()) {
                            return;
                        }
                        let handled = match event.key().to_ascii_lowercase().as_str() {
                            "b" => { bold(); true }
                            "i" => { italic(); true }
                            "k" => { link(); true }
                            "s" => { save(); true }
                            _ => false,
                        };
                        if handled {
                            event.prevent_default();
                        }
                    }/>
                <small class="hint">{label(|l| &l.hint)}</small>
            </label>
            <p class="editor-status">
                <span>{words}</span>
                <span class="save-state" role="status" aria-live="polite">{status}</span>
            </p>
            <p class="actions">
                <button type="submit">{label(|l| &l.publish)}</button>
                <button type="submit" class="secondary" formaction="/api/content/draft">{label(|l| &l.save_draft)}</button>
            </p>
            <section class="preview" aria-label=label(|l| &l.preview)>
                <h2>{label(|l| &l.preview)}</h2>
                <div class="unit-body" inner_html=move || preview.get()></div>
            </section>
        </form>
    }
}

/// A copy of the text in the browser's storage until the server has it, so a
/// crash or a dropped connection loses nothing.
mod local_copy {
    /// A text kept in the browser: the revision it was typed on, and whether
    /// it was sent to be published.
    pub struct KeptText {
        pub base: i64,
        pub title: String,
        pub body: String,
        pub submitted: bool,
    }

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    #[cfg(feature = "hydrate")]
    pub fn keep(key: &str, base: i64, title: &str, body: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&format!("{key}-base"), &base.to_string());
            let _ = storage.set_item(&format!("{key}-title"), title);
            let _ = storage.set_item(&format!("{key}-body"), body);
            let _ = storage.remove_item(&format!("{key}-submitted"));
        }
    }

    /// The copy was sent with the publish button; if that went through, its text is in the history.
    #[cfg(feature = "hydrate")]
    pub fn mark_submitted(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&format!("{key}-submitted"), "1");
        }
    }

    #[cfg(feature = "hydrate")]
    pub fn read(key: &str) -> Option<KeptText> {
        let storage = storage()?;
        let item = |part: &str| storage.get_item(&format!("{key}-{part}")).ok().flatten();
        Some(KeptText {
            base: item("base")?.parse().ok()?,
            title: item("title")?,
            body: item("body")?,
            submitted: item("submitted").is_some(),
        })
    }

    #[cfg(feature = "hydrate")]
    pub fn forget(key: &str) {
        if let Some(storage) = storage() {
            for part in ["base", "title", "body", "submitted"] {
                let _ = storage.remove_item(&format!("{key}-{part}"));
            }
        }
    }

    // On the server the editor never runs its handlers.
    #[cfg(not(feature = "hydrate"))]
    pub fn keep(_: &str, _: i64, _: &str, _: &str) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn mark_submitted(_: &str) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn read(_: &str) -> Option<KeptText> {
        None
    }
    #[cfg(not(feature = "hydrate"))]
    pub fn forget(_: &str) {}
}
