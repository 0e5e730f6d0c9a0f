//! Programs and modules as readers move through them: progress per module,
//! where they stopped, units marked done. Facilitators also see each unit's
//! translation status, add units, publish them, and put units and modules in order.

use crate::components::{ErrorNotice, Notice};
use crate::content::language_name;
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::{Language, TranslationStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext, ViewerUser},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitEntry {
    pub id: i64,
    pub title: String,
    /// The language the title is in (the source language when not translated).
    pub shown: Language,
    pub published: bool,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleEntry {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub shown: Language,
    pub units: Vec<UnitEntry>,
}

impl ModuleEntry {
    pub fn done_count(&self) -> usize {
        self.units.iter().filter(|unit| unit.done).count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramView {
    pub id: i64,
    pub name: String,
    pub modules: Vec<ModuleEntry>,
    /// The unit the reader opened last: (id, title).
    pub continue_at: Option<(i64, String)>,
    pub staff: bool,
}

/// One unit's row in the translation matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRow {
    pub unit: i64,
    pub title: String,
    pub published: bool,
    pub statuses: Vec<(Language, TranslationStatus)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub program: i64,
    pub program_name: String,
    pub module: ModuleEntry,
    /// For facilitators: each unit's translation status.
    pub matrix: Option<Vec<StatusRow>>,
}

#[cfg(feature = "ssr")]
impl From<kring_db::ModuleOutline> for ModuleEntry {
    fn from(module: kring_db::ModuleOutline) -> Self {
        ModuleEntry {
            id: module.id.0,
            title: module.title,
            summary: module.summary,
            shown: module.shown_language,
            units: module
                .units
                .into_iter()
                .map(|unit| UnitEntry {
                    id: unit.id.0,
                    title: unit.title,
                    shown: unit.shown_language,
                    published: unit.published,
                    done: unit.done,
                })
                .collect(),
        }
    }
}

/// The signed-in reader, if they may read `program`: staff read every
/// program, members the programs their cohorts follow.
#[cfg(feature = "ssr")]
pub async fn require_reader(
    context: &RequestContext,
    program: kring_domain::ProgramId,
) -> Result<&ViewerUser, AppError> {
    let user = context.require_user()?;
    if user.role.may_facilitate()
        || db()
            .follows_program(user.id, program)
            .await
            .map_err(|e| context.internal(e))?
    {
        Ok(user)
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

#[cfg(feature = "ssr")]
fn reader(context: &RequestContext, user: &ViewerUser) -> kring_db::Reader {
    kring_db::Reader {
        user: user.id,
        language: context.viewer.language,
        staff: user.role.may_facilitate(),
    }
}

#[server(endpoint = "program")]
pub async fn load_program(id: i64) -> Result<ProgramView, AppError> {
    use kring_domain::ProgramId;
    let context = request_context();
    let program = ProgramId(id);
    let user = require_reader(&context, program).await?;
    let db = db();
    let name = db
        .program_name(program)
        .await
        .map_err(|e| context.db_error(e))?;
    let modules: Vec<ModuleEntry> = db
        .program_outline(program, None, reader(&context, user))
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .map(ModuleEntry::from)
        .collect();
    let last = db
        .last_visited(user.id, program)
        .await
        .map_err(|e| context.internal(e))?;
    let continue_at = last.and_then(|last| {
        modules
            .iter()
            .flat_map(|module| &module.units)
            .find(|unit| unit.id == last.0)
            .map(|unit| (unit.id, unit.title.clone()))
    });
    Ok(ProgramView {
        id,
        name,
        modules,
        continue_at,
        staff: user.role.may_facilitate(),
    })
}

#[server(endpoint = "module")]
pub async fn load_module(id: i64) -> Result<ModuleView, AppError> {
    use kring_domain::ModuleId;
    let context = request_context();
    let module = ModuleId(id);
    let db = db();
    let program = db
        .module_program(module)
        .await
        .map_err(|e| context.db_error(e))?;
    let user = require_reader(&context, program).await?;
    let entry = db
        .program_outline(program, Some(module), reader(&context, user))
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .next()
        .map(ModuleEntry::from)
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let matrix = if user.role.may_facilitate() {
        Some(
            db.translation_matrix(module)
                .await
                .map_err(|e| context.internal(e))?
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
        program_name: db
            .program_name(program)
            .await
            .map_err(|e| context.internal(e))?,
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
    let texts = db
        .unit_texts(UnitId(unit))
        .await
        .map_err(|e| context.db_error(e))?;
    let user = require_reader(&context, texts.program).await?;
    if !texts.published && !user.role.may_facilitate() {
        return Err(context.error(ErrorCode::NotFound));
    }
    db.set_done(user.id, UnitId(unit), done)
        .await
        .map_err(|e| context.db_error(e))?;
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
    let texts = db
        .unit_texts(UnitId(unit))
        .await
        .map_err(|e| context.db_error(e))?;
    let user = require_reader(&context, texts.program).await?;
    if !texts.published && !user.role.may_facilitate() {
        return Err(context.error(ErrorCode::NotFound));
    }
    db.record_visit(user.id, UnitId(unit))
        .await
        .map_err(|e| context.internal(e))
}

/// What a facilitator puts in order: the units of module `parent`, or the modules of program `parent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrderKind {
    Units,
    Modules,
}

impl OrderKind {
    /// As a form field carries it.
    pub fn code(self) -> &'static str {
        match self {
            OrderKind::Units => "units",
            OrderKind::Modules => "modules",
        }
    }

    #[cfg(feature = "ssr")]
    fn siblings(self, parent: i64) -> kring_db::Siblings {
        match self {
            OrderKind::Units => kring_db::Siblings::UnitsOf(kring_domain::ModuleId(parent)),
            OrderKind::Modules => kring_db::Siblings::ModulesOf(kring_domain::ProgramId(parent)),
        }
    }

    /// The page that shows this order, scrolled to `item`.
    #[cfg(feature = "ssr")]
    fn page(self, parent: i64, item: i64) -> String {
        match self {
            OrderKind::Units => format!("/modules/{parent}?moved={item}#unit-{item}"),
            OrderKind::Modules => format!("/programs/{parent}#module-{item}"),
        }
    }
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
    context.require_facilitator()?;
    let db = db();
    let siblings = kind.siblings(parent);
    let mut order = db.order(siblings).await.map_err(|e| context.db_error(e))?;
    moved(&mut order, item, by);
    db.reorder(siblings, &order)
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect(&kind.page(parent, item));
    Ok(())
}

/// Saves the order a facilitator dragged the items into (ids, comma-separated).
#[server(endpoint = "order/save")]
pub async fn save_order(kind: OrderKind, parent: i64, order: String) -> Result<(), AppError> {
    use kring_domain::DomainError;
    let context = request_context();
    context.require_facilitator()?;
    let order = parse_ids(&order)
        .ok_or_else(|| context.error(ErrorCode::Invalid(DomainError::OrderMismatch)))?;
    db().reorder(kind.siblings(parent), &order)
        .await
        .map_err(|e| context.db_error(e))?;
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
    let user = context.require_facilitator()?;
    let title = UnitTitle::parse(&title).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    let db = db();
    let unit = db
        .add_unit(ModuleId(module), &title, user.id)
        .await
        .map_err(|e| context.db_error(e))?;
    let language = db
        .unit_texts(unit)
        .await
        .map_err(|e| context.internal(e))?
        .source_language;
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
    context.require_facilitator()?;
    db().set_unit_published(kring_domain::UnitId(unit), published)
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect(&format!("/modules/{module}#unit-{unit}"));
    Ok(())
}

/// `1,2,3` as ids; `None` for anything else.
pub fn parse_ids(text: &str) -> Option<Vec<i64>> {
    text.split(',')
        .map(|id| id.trim().parse::<i64>().ok())
        .collect()
}

/// Moves `item` `by` places within `order`, stopping at either end.
pub fn moved<T: PartialEq + Copy>(order: &mut [T], item: T, by: i64) {
    if let Some(from) = order.iter().position(|x| *x == item) {
        let to = (from as i64 + by).clamp(0, order.len() as i64 - 1) as usize;
        if from < to {
            order[from..=to].rotate_left(1);
        } else {
            order[to..=from].rotate_right(1);
        }
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

fn status_text(t: Locale, status: TranslationStatus) -> &'static str {
    match status {
        TranslationStatus::Missing => td_string!(t, status_missing),
        TranslationStatus::Current => td_string!(t, status_current),
        TranslationStatus::Outdated => td_string!(t, status_outdated),
    }
}

fn status_class(status: TranslationStatus) -> &'static str {
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
                            <div class="table-scroll">
                                <table class="matrix">
                                    <thead><tr>
                                        <th scope="col">{td_string!(t, program_unit)}</th>
                                        {Language::ALL.map(|language| view! { <th scope="col">{language_name(t, language)}</th> }).collect_view()}
                                    </tr></thead>
                                    <tbody>
                                        {matrix.into_iter().map(|row| view! {
                                            <tr>
                                                <th scope="row">{row.title.clone()}</th>
                                                {row.statuses.iter().map(|(language, status)| view! {
                                                    <td class=status_class(*status)>
                                                        <a href=format!("/units/{}/edit?lang={}", row.unit, language.code())>{status_text(t, *status)}</a>
                                                    </td>
                                                }).collect_view()}
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
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

/// The reorder island's words, in the facilitator's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReorderLabels {
    pub hint: String,
    pub saved: String,
    pub failed: String,
}

/// Lets a facilitator drag the items (`li[data-item]` among the children) into
/// a new order, saved at once. The up/down buttons inside keep working
/// without WebAssembly and for keyboards.
#[island]
pub fn DragOrder(
    kind: OrderKind,
    parent: i64,
    labels: ReorderLabels,
    children: Children,
) -> impl IntoView {
    let (message, set_message) = signal(None::<String>);
    let (ready, set_ready) = signal(false);
    let dragged = StoredValue::new(None::<String>);
    let list = NodeRef::<leptos::html::Div>::new();
    let labels = StoredValue::new(labels);
    Effect::new(move |_| set_ready.set(true));
    let drop = move |_target_unit: String| {
        #[cfg(feature = "hydrate")]
        {
            let Some(unit) = dragged.get_value() else {
                return;
            };
            let Some(order) = list
                .get_untracked()
                .and_then(|list| drag::move_item(&list, &unit, &_target_unit))
            else {
                return;
            };
            leptos::task::spawn_local(async move {
                use leptos::server_fn::ServerFn;
                let parent = parent.to_string();
                let fields = [
                    ("kind", kind.code()),
                    ("parent", &parent),
                    ("order", &order),
                ];
                let text = match crate::browser::post_form(SaveOrder::PATH, &fields).await {
                    Ok(_) => labels.with_value(|l| l.saved.clone()),
                    // The server's own words: the order changed meanwhile, reload.
                    Err(crate::browser::PostError::Refused(message)) => message,
                    Err(crate::browser::PostError::Unreachable) => {
                        labels.with_value(|l| l.failed.clone())
                    }
                };
                set_message.set(Some(text));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (kind, parent, set_message, list);
    };
    view! {
        <div class="reorder" node_ref=list
            on:dragstart=move |event| {
                let unit = drag::item_of(&event);
                #[cfg(feature = "hydrate")]
                if let (Some(unit), Some(transfer)) = (&unit, event.data_transfer()) {
                    let _ = transfer.set_data("text/plain", unit);
                }
                dragged.set_value(unit);
            }
            on:dragover=move |event| {
                if dragged.with_value(Option::is_some) {
                    event.prevent_default();
                }
            }
            on:drop=move |event| {
                event.prevent_default();
                if let Some(target) = drag::item_of(&event) {
                    drop(target);
                }
                dragged.set_value(None);
            }>
            <p class="hint" hidden=move || !ready.get()>{labels.with_value(|l| l.hint.clone())}</p>
            {children()}
            <p role="status" aria-live="polite">{move || message.get()}</p>
        </div>
    }
}

/// The DOM side of dragging: which item an event is on, and moving it.
mod drag {
    /// The `data-item` of the list item an event happened in.
    #[cfg(feature = "hydrate")]
    pub fn item_of(event: &web_sys::DragEvent) -> Option<String> {
        use wasm_bindgen::JsCast;
        let target: web_sys::Element = event.target()?.dyn_into().ok()?;
        target
            .closest("li[data-item]")
            .ok()??
            .get_attribute("data-item")
    }

    /// On the server no event ever arrives.
    #[cfg(not(feature = "hydrate"))]
    pub fn item_of<E>(_: &E) -> Option<String> {
        None
    }

    /// Puts `item` where `target` is (after it when moving down) and returns the new order.
    #[cfg(feature = "hydrate")]
    pub fn move_item(list: &web_sys::HtmlDivElement, unit: &str, target: &str) -> Option<String> {
        use wasm_bindgen::JsCast;
        if unit == target {
            return None;
        }
        let item = |id: &str| {
            list.query_selector(&format!("li[data-item='{id}']"))
                .ok()
                .flatten()
        };
        let (moving, onto) = (item(unit)?, item(target)?);
        let order = || -> Vec<String> {
            let items = list.query_selector_all("li[data-item]").ok();
            let items = items.as_ref();
            (0..items.map_or(0, |items| items.length()))
                .filter_map(|index| items?.item(index)?.dyn_into::<web_sys::Element>().ok())
                .filter_map(|element| element.get_attribute("data-item"))
                .collect()
        };
        let before = order();
        let (from, to) = (
            before.iter().position(|id| id == unit)?,
            before.iter().position(|id| id == target)?,
        );
        let parent = onto.parent_node()?;
        let anchor = if from < to {
            onto.next_sibling()
        } else {
            Some(onto.into())
        };
        parent.insert_before(&moving, anchor.as_ref()).ok()?;
        Some(order().join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_stops_at_either_end() {
        let cases: [(i64, i64, [i64; 4]); 7] = [
            (3, -1, [1, 3, 2, 4]),
            (3, 1, [1, 2, 4, 3]),
            (1, -1, [1, 2, 3, 4]),
            (4, 1, [1, 2, 3, 4]),
            (1, 3, [2, 3, 4, 1]),
            (4, -10, [4, 1, 2, 3]),
            (9, 1, [1, 2, 3, 4]),
        ];
        for (item, by, expected) in cases {
            let mut order = [1, 2, 3, 4];
            moved(&mut order, item, by);
            assert_eq!(order, expected, "{item} by {by}");
        }
    }

    #[test]
    fn orders_parse_only_when_every_id_is_a_number() {
        assert_eq!(parse_ids("3,1, 2"), Some(vec![3, 1, 2]));
        assert_eq!(parse_ids("3,x"), None);
        assert_eq!(parse_ids(""), None);
    }
}
