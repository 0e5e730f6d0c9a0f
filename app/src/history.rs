//! A unit's revision history in one language: who changed it and when, what
//! changed between any two revisions, and restoring an old text as a new
//! revision (history is never rewritten).

use crate::components::{ErrorNotice, Notice};
use crate::content::language_name;
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::diff::{DiffLine, LineChange};
use kring_domain::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionEntry {
    pub number: i64,
    pub title: String,
    pub author: Option<String>,
    /// When, in the viewer's time zone and language.
    pub when: String,
    pub restored_from: Option<i64>,
    /// For a translation: the source revision it was made from.
    pub source_number: Option<i64>,
    pub words: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub unit: i64,
    pub language: Language,
    /// Newest first.
    pub revisions: Vec<RevisionEntry>,
    /// The two revisions compared, and what changed from the first to the second.
    pub compared: Option<(i64, i64, Vec<DiffLine>)>,
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
    context.require_facilitator()?;
    let language = Language::parse(&language).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    let revisions = db()
        .revisions(UnitId(unit), language)
        .await
        .map_err(|e| context.db_error(e))?;
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
    let user = context.require_facilitator()?;
    let language = Language::parse(&language).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    match db()
        .restore(UnitId(unit), language, number, base, user.id)
        .await
        .map_err(|e| context.db_error(e))?
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
