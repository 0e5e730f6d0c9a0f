//! Facilitators' pages: the unit editor and the revision history.

use super::*;
use crate::components::{ErrorNotice, Notice};
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::diff::LineChange;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
                            <crate::content::DiffView lines=editor.conflict_diff.clone()/>
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

/// What changed, line by line: removed lines struck through, added lines
/// marked, the changed words within a line emphasised.
#[component]
pub fn DiffView(lines: Vec<DiffLine>) -> impl IntoView {
    let t = use_viewer().locale();
    if lines.is_empty() {
        return view! { <p class="hint">{td_string!(t, history_no_changes)}</p> }.into_any();
    }
    view! {
        <div class="diff">
            {lines.into_iter().map(|line| {
                let (class, sign, label) = match line.change {
                    LineChange::Same => ("same", " ", ""),
                    LineChange::Added => ("added", "+", td_string!(t, history_added)),
                    LineChange::Removed => ("removed", "−", td_string!(t, history_removed)),
                    LineChange::Gap => ("gap", "…", ""),
                };
                let parts = line.parts.into_iter().map(|(text, changed)| {
                    if changed && line.change == LineChange::Added {
                        view! { <ins>{text}</ins> }.into_any()
                    } else if changed && line.change == LineChange::Removed {
                        view! { <del>{text}</del> }.into_any()
                    } else {
                        view! { <span>{text}</span> }.into_any()
                    }
                }).collect_view();
                view! {
                    <div class=format!("diff-line {class}")>
                        <span class="sign" aria-hidden="true">{sign}</span>
                        {(!label.is_empty()).then(|| view! { <span class="visually-hidden">{label} ": "</span> })}
                        <span class="text">{parts}</span>
                    </div>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// `/units/:id/history?lang=es&from=2&to=4`
#[component]
pub fn HistoryPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let id = crate::components::route_id();
    let (language, from, to, restored) = use_query_map().with_untracked(|q| {
        let number = |key: &str| q.get(key).and_then(|n| n.parse::<i64>().ok());
        (
            q.get("lang").unwrap_or_else(|| "en".to_owned()),
            number("from"),
            number("to"),
            q.get("restored").is_some(),
        )
    });
    let restore = ServerAction::<RestoreRevision>::new();
    let error = Signal::derive(move || restore.value().get().and_then(Result::err));
    let data = Resource::new_blocking(
        move || (id, language.clone(), from, to),
        |(id, language, from, to)| load_history(id, language, from, to),
    );
    view! {
        <Title text=td_string!(t, history_title)/>
        <ErrorNotice error/>
        <Notice show=restored text=td_string!(t, history_restored)/>
        <Suspense>
            {move || Suspend::new(async move {
                let history = match data.await {
                    Ok(history) => history,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let code = history.language.code();
                let current = history.revisions.first().map_or(0, |r| r.number);
                let (from, to) = history.compared.as_ref().map_or((0, 0), |(from, to, _)| (*from, *to));
                view! {
                    <h1>{td_string!(t, history_title)} " · " {language_name(t, history.language)}</h1>
                    <p class="actions">
                        <a href=format!("/units/{}?lang={code}", history.unit)>{td_string!(t, edit_back)}</a>
                        <a href=format!("/units/{}/edit?lang={code}", history.unit)>{td_string!(t, content_edit)}</a>
                    </p>
                    {history.revisions.is_empty().then(|| view! { <p>{td_string!(t, history_empty)}</p> })}
                    <form method="get" class="card">
                        <input type="hidden" name="lang" value=code/>
                        <div class="table-scroll">
                            <table class="revisions">
                                <thead><tr>
                                    <th scope="col">{td_string!(t, history_revision)}</th>
                                    <th scope="col">{td_string!(t, history_from)}</th>
                                    <th scope="col">{td_string!(t, history_to)}</th>
                                    <th scope="col">{td_string!(t, history_who_when)}</th>
                                    <th scope="col">{td_string!(t, edit_unit_title)}</th>
                                    <th scope="col"></th>
                                </tr></thead>
                                <tbody>
                                    {history.revisions.iter().map(|revision| {
                                        let number = revision.number;
                                        let notes = [
                                            revision.restored_from.map(|old| td_string!(t, history_restored_from).replace("%number%", &old.to_string())),
                                            revision.source_number.map(|source| td_string!(t, history_made_from).replace("%number%", &source.to_string())),
                                        ];
                                        view! {
                                            <tr>
                                                <th scope="row">{number}</th>
                                                <td><input type="radio" name="from" value=number.to_string() checked=number == from aria-label=format!("{} {number}", td_string!(t, history_from))/></td>
                                                <td><input type="radio" name="to" value=number.to_string() checked=number == to aria-label=format!("{} {number}", td_string!(t, history_to))/></td>
                                                <td>
                                                    {revision.author.clone().unwrap_or_else(|| td_string!(t, history_no_author).to_owned())}
                                                    <br/><small>{revision.when.clone()}</small>
                                                </td>
                                                <td>
                                                    {revision.title.clone()}
                                                    <br/><small>{td_string!(t, edit_words).replace("%count%", &revision.words.to_string())}</small>
                                                    {notes.into_iter().flatten().map(|note| view! { <br/><small class="hint">{note}</small> }).collect_view()}
                                                </td>
                                                <td>
                                                    {(number != current).then(|| view! {
                                                        <button type="submit" class="secondary small" formmethod="post" formaction="/api/content/restore"
                                                            name="number" value=number.to_string()>
                                                            {td_string!(t, history_restore)}
                                                        </button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        // Only the restore button's post reads these.
                        <input type="hidden" name="unit" value=history.unit.to_string()/>
                        <input type="hidden" name="language" value=code/>
                        <input type="hidden" name="base" value=current.to_string()/>
                        <p class="actions"><button type="submit">{td_string!(t, history_compare)}</button></p>
                    </form>
                    {history.compared.clone().map(|(from, to, lines)| view! {
                        <section class="card">
                            <h2>{td_string!(t, history_changes).replace("%from%", &from.to_string()).replace("%to%", &to.to_string())}</h2>
                            <DiffView lines/>
                        </section>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}
