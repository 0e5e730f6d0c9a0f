//! `/programs/import`: upload a program's folder (a ZIP); `/programs/import/:id`: what
//! it will create, before anything is.

use super::*;
use crate::components::{ErrorNotice, LabeledField};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;

fn language_list(t: Locale, languages: &[Language]) -> String {
    languages
        .iter()
        .map(|language| language_name(t, *language))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn ProgramImportPage() -> impl IntoView {
    let t = use_viewer().locale();
    // The upload is a plain form (a file); a refusal comes back in the link.
    let error = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get("__err"))
        .map(|text| {
            <crate::error::AppError as leptos::prelude::FromServerFnError>::de(
                text.into_bytes().into(),
            )
        });
    view! {
        <Title text=td_string!(t, folder_import_title)/>
        <h1>{td_string!(t, folder_import_title)}</h1>
        <p>{td_string!(t, folder_import_explain)}</p>
        <ErrorNotice error=Signal::stored(error)/>
        <form class="card narrow" method="post" action="/api/programs/import" enctype="multipart/form-data">
            <LabeledField label=td_string!(t, folder_file)>
                <input type="file" name="file" accept=".zip,application/zip" required/>
            </LabeledField>
            <button type="submit">{td_string!(t, folder_check)}</button>
        </form>
    }
}

#[component]
pub fn FolderPreviewPage() -> impl IntoView {
    let t = use_viewer().locale();
    let import = leptos_router::hooks::use_params_map()
        .with_untracked(|params| params.get("import").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or_default();
    let create = ServerAction::<CreateImportedProgram>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let data = Resource::new_blocking(move || import, load_program_import);
    view! {
        <Title text=td_string!(t, folder_import_title)/>
        <Suspense>
            {move || Suspend::new(async move {
                let preview = match data.await {
                    Ok(preview) => preview,
                    Err(error) => return view! { <ErrorNotice error=Some(error)/> }.into_any(),
                };
                let units: usize = preview.modules.iter().map(|module| module.units.len()).sum();
                view! {
                    <h1>{preview.title.clone()}</h1>
                    <ErrorNotice error/>
                    <p>{td_string!(t, folder_will_create)
                        .replace("%modules%", &preview.modules.len().to_string())
                        .replace("%units%", &units.to_string())
                        .replace("%language%", language_name(t, preview.source_language))}</p>
                    <p class="hint">{td_string!(t, folder_languages)} ": " {language_list(t, &preview.languages)}</p>
                    <ol class="outline">
                        {preview.modules.iter().map(|module| view! {
                            <li>
                                <strong>{module.title.clone()}</strong>
                                <span class="hint">" · " {language_list(t, &module.languages)}</span>
                                <ol>
                                    {module.units.iter().map(|(title, languages)| view! {
                                        <li>{title.clone()} <span class="hint">" · " {language_list(t, languages)}</span></li>
                                    }).collect_view()}
                                </ol>
                            </li>
                        }).collect_view()}
                    </ol>
                    <ActionForm action=create>
                        <input type="hidden" name="import" value=preview.import.to_string()/>
                        <button type="submit">{td_string!(t, folder_create)}</button>
                    </ActionForm>
                }.into_any()
            })}
        </Suspense>
    }
}
