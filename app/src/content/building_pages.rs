//! Building a program: `/programs/new`, the title-and-summary editor of a program
//! (`/programs/:id/texts`) or a module (`/modules/:id/texts`) in each language, and
//! the builders' part of a program's page (publishing, translations, new modules, copy).

use super::pages::{status_class, status_text, TranslationMatrix};
use super::*;
use crate::components::{ErrorNotice, LabeledField, Notice, TextArea};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/programs/new`: a facilitator starts a program in the language it is written in.
#[component]
pub fn NewProgramPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let start = ServerAction::<StartProgram>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <Title text=td_string!(t, build_new_program)/>
        <h1>{td_string!(t, build_new_program)}</h1>
        <p>{td_string!(t, build_new_program_explain)}</p>
        <p><a href="/programs/import">{td_string!(t, folder_import_link)}</a></p>
        <ErrorNotice error/>
        <ActionForm action=start attr:class="card narrow">
            <LabeledField label=td_string!(t, build_title)>
                <input type="text" name="title" required maxlength="200"/>
            </LabeledField>
            <LabeledField label=td_string!(t, build_summary)>
                <TextArea name="summary"/>
            </LabeledField>
            <LabeledField label=td_string!(t, build_language)>
                <select name="language">
                    {Language::ALL.into_iter().map(|language| view! {
                        <option value=language.code() selected=language == viewer.language>{language.native_name()}</option>
                    }).collect_view()}
                </select>
            </LabeledField>
            <button type="submit">{td_string!(t, build_create)}</button>
        </ActionForm>
    }
}

/// `/programs/:id/texts?lang=es`.
#[component]
pub fn ProgramTextsPage() -> impl IntoView {
    view! { <OutlineEditor kind=OutlineKind::Program/> }
}

/// `/modules/:id/texts?lang=es`.
#[component]
pub fn ModuleTextsPage() -> impl IntoView {
    view! { <OutlineEditor kind=OutlineKind::Module/> }
}

/// A title and summary in one language, beside the source text when translating.
#[component]
fn OutlineEditor(kind: OutlineKind) -> impl IntoView {
    let t = use_viewer().locale();
    let id = crate::components::route_id();
    let (language, conflict, saved) = use_query_map().with_untracked(|query| {
        (
            query.get("lang"),
            query.get("conflict").is_some(),
            query.get("saved").is_some(),
        )
    });
    let publish = ServerAction::<PublishOutlineText>::new();
    let error = Signal::derive(move || publish.value().get().and_then(Result::err));
    let data = Resource::new_blocking(
        move || (id, language.clone(), conflict),
        move |(id, language, conflict)| load_outline_editor(kind, id, language, Some(conflict)),
    );
    view! {
        <Title text=td_string!(t, build_texts_title)/>
        <Suspense>
            {move || Suspend::new(async move {
                let editor = match data.await {
                    Ok(editor) => editor,
                    Err(error) => return view! { <ErrorNotice error=Some(error)/> }.into_any(),
                };
                let back = kind.path(editor.id);
                let path = format!("{back}/texts");
                view! {
                    <p class="breadcrumb"><a href=back.clone()>{td_string!(t, build_back)}</a></p>
                    <h1>{td_string!(t, build_texts_title)} " · " {language_name(t, editor.language)}</h1>
                    <nav class="languages" aria-label=td_string!(t, program_translations)>
                        {editor.statuses.iter().map(|(language, status)| view! {
                            <a href=format!("{path}?lang={}", language.code()) class=status_class(*status)
                                aria-current=(*language == editor.language).then_some("page")>
                                {language_name(t, *language)} ": " {status_text(t, *status)}
                            </a> " "
                        }).collect_view()}
                    </nav>
                    <Notice show=saved text=td_string!(t, build_texts_saved)/>
                    <ErrorNotice error/>
                    {editor.conflict.clone().map(|(number, title, summary)| view! {
                        <section class="notice" role="alert">
                            <p>{td_string!(t, build_conflict).replace("%revision%", &number.to_string())}</p>
                            <p><strong>{title}</strong></p>
                            <p>{summary}</p>
                        </section>
                    })}
                    {editor.source.clone().map(|(_, title, summary)| view! {
                        <section class="card source" lang=editor.source_language.code()>
                            <h2>{td_string!(t, build_source).replace("%language%", language_name(t, editor.source_language))}</h2>
                            <p><strong>{title}</strong></p>
                            <p>{summary}</p>
                        </section>
                    })}
                    <ActionForm action=publish attr:class="card">
                        <input type="hidden" name="edit[kind]" value=match kind { OutlineKind::Program => "program", OutlineKind::Module => "module" }/>
                        <input type="hidden" name="edit[id]" value=editor.id.to_string()/>
                        <input type="hidden" name="edit[language]" value=editor.language.code()/>
                        <input type="hidden" name="edit[base]" value=editor.base_number.to_string()/>
                        {editor.source.as_ref().map(|(revision, ..)| view! {
                            <input type="hidden" name="edit[source]" value=revision.to_string()/>
                        })}
                        <LabeledField label=td_string!(t, build_title)>
                            <input type="text" name="edit[title]" required maxlength="200" lang=editor.language.code() value=editor.title.clone()/>
                        </LabeledField>
                        <LabeledField label=td_string!(t, build_summary)>
                            <TextArea name="edit[summary]" text=editor.summary.clone() attr:lang=editor.language.code()/>
                        </LabeledField>
                        <button type="submit">{td_string!(t, build_publish_texts)}</button>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The builders' part of a program's page.
#[component]
pub fn ProgramTools(program: ProgramView) -> impl IntoView {
    let t = use_viewer().locale();
    let publish = ServerAction::<PublishProgram>::new();
    let add = ServerAction::<AddModule>::new();
    let copy = ServerAction::<CopyProgram>::new();
    let error = Signal::derive(move || {
        publish
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| add.value().get().and_then(Result::err))
            .or_else(|| copy.value().get().and_then(Result::err))
    });
    let id = program.id;
    view! {
        <ErrorNotice error/>
        <section class="card" id="publishing">
            <p>{if program.published { td_string!(t, build_published) } else { td_string!(t, build_draft) }}</p>
            <ActionForm action=publish>
                <input type="hidden" name="program" value=id.to_string()/>
                <input type="hidden" name="published" value=(!program.published).to_string()/>
                <button type="submit" class=if program.published { "secondary" } else { "" }>
                    {if program.published { td_string!(t, build_unpublish) } else { td_string!(t, build_publish) }}
                </button>
            </ActionForm>
        </section>
        <section class="card">
            <h2>{td_string!(t, build_outline_translations)}</h2>
            <TranslationMatrix
                heading=td_string!(t, build_title)
                rows=program.outline.clone()
            />
        </section>
        <ActionForm action=add attr:class="card" attr:id="add-module">
            <h2>{td_string!(t, build_add_module)}</h2>
            <input type="hidden" name="program" value=id.to_string()/>
            <LabeledField label=td_string!(t, build_title)>
                <input type="text" name="title" required maxlength="200"/>
            </LabeledField>
            <LabeledField label=td_string!(t, build_summary)>
                <TextArea name="summary"/>
            </LabeledField>
            <button type="submit">{td_string!(t, build_add_module)}</button>
        </ActionForm>
        <p class="card">
            <a class="button secondary" href=format!("/programs/{id}/export.zip")>{td_string!(t, folder_download)}</a>
            " " <span class="hint">{td_string!(t, folder_download_hint)}</span>
        </p>
        <ActionForm action=copy attr:class="card" attr:id="copy-program">
            <h2>{td_string!(t, build_copy)}</h2>
            <p class="hint">{td_string!(t, build_copy_explain)}</p>
            <input type="hidden" name="program" value=id.to_string()/>
            <LabeledField label=td_string!(t, build_copy_name)>
                <input type="text" name="name" required maxlength="200"/>
            </LabeledField>
            <button type="submit" class="secondary">{td_string!(t, build_copy)}</button>
        </ActionForm>
    }
}

/// A module's archive button on the program page.
#[component]
pub fn ModuleArchiveButton(module: i64, archived: bool) -> impl IntoView {
    let t = use_viewer().locale();
    let archive = ServerAction::<ArchiveModule>::new();
    view! {
        <ActionForm action=archive>
            <input type="hidden" name="module" value=module.to_string()/>
            <input type="hidden" name="archived" value=(!archived).to_string()/>
            <button type="submit" class="secondary small">
                {if archived { td_string!(t, build_unarchive) } else { td_string!(t, build_archive) }}
            </button>
        </ActionForm>
    }
}
