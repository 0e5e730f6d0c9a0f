//! Readers' pages: a unit, a program and a module.

use super::*;
use crate::components::{ErrorNotice, Notice};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/units/:id` (`?lang=nl` reads this unit in another language).
#[component]
pub fn UnitPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = crate::components::route_id();
    let language = use_query_map().with_untracked(|q| q.get("lang"));
    let mark = ServerAction::<crate::content::MarkUnitDone>::new();
    let data = Resource::new_blocking(
        move || (id, language.clone()),
        |(id, language)| load_unit(id, language),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let unit = match data.await {
                    Ok(unit) => unit,
                    Err(error) => return view! {
                        <Title text=td_string!(t, not_found_title)/>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                };
                let notice = (unit.shown != unit.wanted).then(|| {
                    td_string!(t, content_fallback)
                        .replace("%wanted%", language_name(t, unit.wanted))
                        .replace("%shown%", language_name(t, unit.shown))
                });
                let (module_id, module_title) = unit.module.clone();
                view! {
                    <Title text=unit.title.clone()/>
                    <p class="breadcrumb"><a href=format!("/modules/{module_id}")>{module_title}</a></p>
                    <article class="unit" lang=unit.shown.code()>
                        {unit.draft.then(|| view! { <p class="notice">{td_string!(t, content_draft)}</p> })}
                        {notice.map(|notice| view! { <p class="notice fallback" role="note" lang=use_viewer().language.code()>{notice}</p> })}
                        {unit.outdated.then(|| view! { <p class="hint outdated" lang=use_viewer().language.code()>{td_string!(t, content_outdated)}</p> })}
                        <h1>{unit.title.clone()}</h1>
                        {unit.may_edit.then(|| view! {
                            <p class="actions" lang=use_viewer().language.code()>
                                <a class="button secondary" href=format!("/units/{}/edit?lang={}", unit.id, unit.wanted.code())>{td_string!(t, content_edit)}</a>
                                <a href=format!("/units/{}/history?lang={}", unit.id, unit.shown.code())>{td_string!(t, history_title)}</a>
                            </p>
                        })}
                        <div class="unit-body" inner_html=unit.html.clone()></div>
                    </article>
                    <ActionForm action=mark attr:class="unit-done">
                        <input type="hidden" name="unit" value=unit.id.to_string()/>
                        <input type="hidden" name="done" value=(!unit.done).to_string()/>
                        {if unit.done {
                            view! {
                                <p class="done-mark" role="status">"✓ " {td_string!(t, content_marked_done)}</p>
                                <button type="submit" class="secondary">{td_string!(t, content_mark_not_done)}</button>
                            }.into_any()
                        } else {
                            view! { <button type="submit">{td_string!(t, content_mark_done)}</button> }.into_any()
                        }}
                    </ActionForm>
                    // "Continue where you stopped" learns of this visit once the page is shown.
                    <crate::behaviours::ReportSeen
                        action={<crate::content::RecordVisit as leptos::server_fn::ServerFn>::PATH.to_owned()}
                        fields=vec![("unit".to_owned(), unit.id.to_string())]/>
                    <nav class="unit-pager" aria-label=td_string!(t, content_pager)>
                        {unit.previous.clone().map(|(id, title)| view! {
                            <a rel="prev" href=format!("/units/{id}")>"← " {title}</a>
                        })}
                        {unit.next.clone().map(|(id, title)| view! {
                            <a rel="next" href=format!("/units/{id}")>{title} " →"</a>
                        })}
                    </nav>
                    <nav class="unit-languages" aria-label=td_string!(t, content_read_in)>
                        {td_string!(t, content_read_in)} ": "
                        {unit.languages.iter().map(|language| {
                            let current = *language == unit.shown;
                            view! {
                                <a href=format!("/units/{}?lang={}", unit.id, language.code()) lang=language.code()
                                    aria-current=current.then_some("true")>{language.native_name()}</a> " "
                            }
                        }).collect_view()}
                    </nav>
                }.into_any()
            })}
        </Suspense>
    }
}

/// A progress bar with its numbers in words, for screen readers and small screens.
#[component]
pub fn Progress(done: usize, total: usize) -> impl IntoView {
    let t = use_viewer().locale();
    let text = td_string!(t, program_progress)
        .replace("%done%", &done.to_string())
        .replace("%total%", &total.to_string());
    view! {
        <div class="progress">
            <progress max=total.max(1).to_string() value=done.to_string() aria-label=text.clone()></progress>
            <span>{text}</span>
        </div>
    }
}

/// `/programs/:id`: the modules with their progress, and where the reader stopped.
#[component]
pub fn ProgramPage() -> impl IntoView {
    let viewer = use_viewer();
    let (t, language) = (viewer.locale(), viewer.language);
    let id = crate::components::route_id();
    let data = Resource::new_blocking(move || id, load_program);
    let move_action = ServerAction::<MoveInOrder>::new();
    let (created, copied, imported) =
        leptos_router::hooks::use_query_map().with_untracked(|query| {
            (
                query.get("created").is_some(),
                query.get("copied").is_some(),
                query.get("imported").is_some(),
            )
        });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let program = match data.await {
                    Ok(program) => program,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let count = program.modules.len();
                let staff = program.staff;
                let modules = view! {
                    <ol class="modules">
                        {program.modules.clone().into_iter().enumerate().map(|(index, module)| {
                            let module_id = module.id;
                            let (program_id, done, total) = (program.id, module.done_count(), module.units.len());
                            view! {
                                <li id=format!("module-{module_id}") class="card" data-item=staff.then(|| module_id.to_string()) draggable=staff.then_some("true")>
                                    <h2><a href=format!("/modules/{module_id}") lang=module.shown.code()>{module.title.clone()}</a></h2>
                                    {(module.shown != language).then(|| view! {
                                        <p class="hint">{td_string!(t, program_not_translated).replace("%language%", language_name(t, module.shown))}</p>
                                    })}
                                    <p lang=module.shown.code()>{module.summary.clone()}</p>
                                    <Progress done total/>
                                    {staff.then(|| view! {
                                        {module.archived.then(|| view! { <p><span class="badge">{td_string!(t, build_archived)}</span></p> })}
                                        <p><a href=format!("/modules/{module_id}/texts")>{td_string!(t, build_texts_title)}</a></p>
                                        <ModuleArchiveButton module=module_id archived=module.archived/>
                                        <div class="reorder-buttons">
                                            {(index > 0).then(|| view! {
                                                <ActionForm action=move_action>
                                                    <input type="hidden" name="kind" value="modules"/>
                                                    <input type="hidden" name="parent" value=program_id.to_string()/>
                                                    <input type="hidden" name="item" value=module_id.to_string()/>
                                                    <input type="hidden" name="by" value="-1"/>
                                                    <button type="submit" class="secondary small">{td_string!(t, program_move_up)}</button>
                                                </ActionForm>
                                            })}
                                            {(index + 1 < count).then(|| view! {
                                                <ActionForm action=move_action>
                                                    <input type="hidden" name="kind" value="modules"/>
                                                    <input type="hidden" name="parent" value=program_id.to_string()/>
                                                    <input type="hidden" name="item" value=module_id.to_string()/>
                                                    <input type="hidden" name="by" value="1"/>
                                                    <button type="submit" class="secondary small">{td_string!(t, program_move_down)}</button>
                                                </ActionForm>
                                            })}
                                        </div>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                };
                view! {
                    <Title text=program.name.clone()/>
                    <h1>{program.name.clone()}</h1>
                    <Notice show=created text=td_string!(t, build_created)/>
                    <Notice show=copied text=td_string!(t, build_copied)/>
                    <Notice show=imported text=td_string!(t, folder_imported)/>
                    <p><a href="/search">{td_string!(t, search_title)}</a></p>
                    {program.continue_at.clone().map(|(unit, title)| view! {
                        <p class="card continue">
                            {td_string!(t, program_continue)} " "
                            <a class="button" href=format!("/units/{unit}")>{title}</a>
                        </p>
                    })}
                    {if program.staff {
                        view! {
                            <DragOrder kind=OrderKind::Modules parent=program.id labels=reorder_labels(t)>
                                {modules}
                            </DragOrder>
                        }.into_any()
                    } else {
                        modules.into_any()
                    }}
                    {program.staff.then(|| view! { <ProgramTools program=program.clone()/> })}
                }.into_any()
            })}
        </Suspense>
    }
}

fn reorder_labels(t: Locale) -> ReorderLabels {
    ReorderLabels {
        hint: td_string!(t, program_drag_hint).to_owned(),
        saved: td_string!(t, program_order_saved).to_owned(),
        failed: td_string!(t, program_order_failed).to_owned(),
    }
}

/// Texts (a title each) against languages: each cell the status in that language,
/// linked to the editor at `<editor>?lang=<language>`.
#[component]
pub(super) fn TranslationMatrix(
    heading: &'static str,
    rows: Vec<OutlineStatusRow>,
) -> impl IntoView {
    let t = use_viewer().locale();
    view! {
        <div class="table-scroll">
            <table class="matrix">
                <thead><tr>
                    <th scope="col">{heading}</th>
                    {Language::ALL.map(|language| view! { <th scope="col">{language_name(t, language)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row">{row.title}</th>
                            {row.statuses.into_iter().map(|(language, status)| view! {
                                <td class=status_class(status)>
                                    <a href=format!("{}?lang={}", row.editor, language.code())>{status_text(t, status)}</a>
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

pub(super) fn status_text(t: Locale, status: TranslationStatus) -> &'static str {
    match status {
        TranslationStatus::Missing => td_string!(t, status_missing),
        TranslationStatus::Current => td_string!(t, status_current),
        TranslationStatus::Outdated => td_string!(t, status_outdated),
    }
}

pub(super) fn status_class(status: TranslationStatus) -> &'static str {
    match status {
        TranslationStatus::Missing => "status missing",
        TranslationStatus::Current => "status current",
        TranslationStatus::Outdated => "status outdated",
    }
}

/// `/modules/:id`: the units in order with the reader's progress; for
/// facilitators also the translation matrix, ordering and new units.
#[component]
pub fn ModulePage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let id = crate::components::route_id();
    let moved = use_query_map().with_untracked(|q| q.get("moved").is_some());
    let data = Resource::new_blocking(move || id, load_module);
    let add = ServerAction::<AddUnit>::new();
    let move_action = ServerAction::<MoveInOrder>::new();
    let publish = ServerAction::<PublishUnitToReaders>::new();
    let error = Signal::derive(move || {
        add.value()
            .get()
            .and_then(Result::err)
            .or_else(|| move_action.value().get().and_then(Result::err))
    });
    view! {
        <ErrorNotice error/>
        <Notice show=moved text=td_string!(t, program_order_saved)/>
        <Suspense>
            {move || Suspend::new(async move {
                let view = match data.await {
                    Ok(view) => view,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let module = view.module.clone();
                let module_id = module.id;
                let staff = view.matrix.is_some();
                let count = module.units.len();
                view! {
                    <Title text=module.title.clone()/>
                    <p class="breadcrumb"><a href=format!("/programs/{}", view.program)>{view.program_name.clone()}</a></p>
                    <h1 lang=module.shown.code()>{module.title.clone()}</h1>
                    <p lang=module.shown.code()>{module.summary.clone()}</p>
                    <Progress done=module.done_count() total=count/>
                    {if staff {
                        view! {
                            <DragOrder kind=OrderKind::Units parent=module_id
                                labels=reorder_labels(t)>
                                <ol class="units">
                                    {module.units.clone().into_iter().enumerate().map(|(index, unit)| {
                                        let id = unit.id;
                                        let up = format!("{} – {}", td_string!(t, program_move_up), unit.title);
                                        let down = format!("{} – {}", td_string!(t, program_move_down), unit.title);
                                        view! {
                                        <li id=format!("unit-{}", unit.id) data-item=unit.id.to_string() draggable="true">
                                            <a href=format!("/units/{}", unit.id) lang=unit.shown.code()>{unit.title.clone()}</a>
                                            {(!unit.published).then(|| view! { <span class="badge">{td_string!(t, program_draft)}</span> })}
                                            <span class="reorder-buttons">
                                                {(index > 0).then(|| view! {
                                                    <ActionForm action=move_action>
                                                        <input type="hidden" name="kind" value="units"/>
                                                        <input type="hidden" name="parent" value=module_id.to_string()/>
                                                        <input type="hidden" name="item" value=id.to_string()/>
                                                        <input type="hidden" name="by" value="-1"/>
                                                        <button type="submit" class="secondary small" aria-label=up>"↑"</button>
                                                    </ActionForm>
                                                })}
                                                {(index + 1 < count).then(|| view! {
                                                    <ActionForm action=move_action>
                                                        <input type="hidden" name="kind" value="units"/>
                                                        <input type="hidden" name="parent" value=module_id.to_string()/>
                                                        <input type="hidden" name="item" value=id.to_string()/>
                                                        <input type="hidden" name="by" value="1"/>
                                                        <button type="submit" class="secondary small" aria-label=down>"↓"</button>
                                                    </ActionForm>
                                                })}
                                                <ActionForm action=publish>
                                                    <input type="hidden" name="module" value=module_id.to_string()/>
                                                    <input type="hidden" name="unit" value=id.to_string()/>
                                                    <input type="hidden" name="published" value=(!unit.published).to_string()/>
                                                    <button type="submit" class="secondary small">
                                                        {if unit.published { td_string!(t, program_unpublish) } else { td_string!(t, program_publish) }}
                                                    </button>
                                                </ActionForm>
                                            </span>
                                        </li>
                                    }}).collect_view()}
                                </ol>
                            </DragOrder>
                        }.into_any()
                    } else {
                        view! {
                            <ol class="units">
                                {module.units.iter().map(|unit| view! {
                                    <li class:done=unit.done>
                                        <a href=format!("/units/{}", unit.id) lang=unit.shown.code()>{unit.title.clone()}</a>
                                        {unit.done.then(|| view! { <span class="badge done">{td_string!(t, program_done)}</span> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    {view.matrix.clone().map(|matrix| view! {
                        <section class="card">
                            <h2>{td_string!(t, program_translations)}</h2>
                            <TranslationMatrix
                                heading=td_string!(t, program_unit)
                                rows=matrix.into_iter().map(|row| OutlineStatusRow { editor: format!("/units/{}/edit", row.unit), title: row.title, statuses: row.statuses }).collect()
                            />
                        </section>
                        <ActionForm action=add attr:class="card">
                            <h2>{td_string!(t, program_add_unit)}</h2>
                            <input type="hidden" name="module" value=module_id.to_string()/>
                            <crate::components::LabeledField label=td_string!(t, edit_unit_title) hint=td_string!(t, program_add_unit_hint)>
                                <input type="text" name="title" maxlength="200" required/>
                            </crate::components::LabeledField>
                            <button type="submit">{td_string!(t, program_add_unit)}</button>
                        </ActionForm>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}
