//! `/cohorts/:id/directory`, and the directory settings on the profile.

use super::*;
use crate::components::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let t = use_viewer().locale();
    let cohort = use_params_map()
        .with_untracked(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()))
        .unwrap_or_default();
    let directory = Resource::new_blocking(move || cohort, load_directory);
    view! {
        <Title text=td_string!(t, directory_title)/>
        <Suspense>
            {move || Suspend::new(async move {
                match directory.await {
                    Err(error) => view! {
                        <h1>{td_string!(t, directory_title)}</h1>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                    Ok(directory) => view! {
                        <h1>{td_string!(t, directory_title)} ": " {directory.cohort_name}</h1>
                        <p class="meta">{td_string!(t, directory_intro)} " " <a href="/profile#directory">{td_string!(t, directory_yours)}</a></p>
                        <ul class="directory">
                            {directory.people.into_iter().map(|person| view! { <DirectoryItem person/> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DirectoryItem(person: DirectoryCard) -> impl IntoView {
    let t = use_viewer().locale();
    let line = |label: &'static str, value: Option<String>| {
        value.filter(|value| !value.is_empty()).map(|value| {
            view! { <p><span class="label">{label} ": "</span>{value}</p> }
        })
    };
    let (bio, learn_share) = person.about.unzip();
    view! {
        <li class="card person">
            <h2>{person.name}</h2>
            <p class="meta">"@" {person.handle} " · " {person.role}
                {person.organisation.map(|organisation| view! { " · " {organisation} })}
            </p>
            {line(td_string!(t, field_country), person.country)}
            {line(td_string!(t, directory_languages), person.languages)}
            {line(td_string!(t, directory_local_time), person.local_time)}
            {bio.filter(|bio| !bio.is_empty()).map(|bio| view! { <p class="bio">{bio}</p> })}
            {line(td_string!(t, directory_learn_share), learn_share)}
        </li>
    }
}

/// On the profile: what the person tells their cohorts, and what the
/// directory shows of it.
#[component]
pub fn DirectorySetting() -> impl IntoView {
    let t = use_viewer().locale();
    let save = ServerAction::<SaveDirectoryEntry>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get("saved").as_deref() == Some("directory"));
    let entry = Resource::new_blocking(|| (), |_| my_directory_entry());
    let check = move |name: &'static str, label: &'static str, checked: bool| {
        view! {
            <label class="check">
                <input type="checkbox" name=name value="yes" checked=checked/>
                " " {label}
            </label>
        }
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                entry.await.ok().map(|entry| view! {
                    <section class="card narrow" id="directory">
                        <h2>{td_string!(t, directory_settings_title)}</h2>
                        <p class="hint">{td_string!(t, directory_settings_intro)}</p>
                        <Notice show=saved text=td_string!(t, directory_saved)/>
                        <ErrorNotice error/>
                        <ActionForm action=save>
                            <LabeledField label=td_string!(t, directory_bio)>
                                <TextArea name="bio" text=entry.bio.clone() attr:maxlength="500" attr:rows="3"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, directory_learn_share)>
                                <TextArea name="learn_share" text=entry.learn_share.clone() attr:maxlength="500" attr:rows="3"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, directory_languages)>
                                <input type="text" name="spoken_languages" maxlength="120" value=entry.spoken_languages.clone()/>
                            </LabeledField>
                            <fieldset>
                                <legend>{td_string!(t, directory_shows)}</legend>
                                {check("shows_country", td_string!(t, directory_shows_country), entry.shows_country)}
                                {check("shows_languages", td_string!(t, directory_shows_languages), entry.shows_languages)}
                                {check("shows_local_time", td_string!(t, directory_shows_local_time), entry.shows_local_time)}
                                {check("shows_about", td_string!(t, directory_shows_about), entry.shows_about)}
                            </fieldset>
                            <button type="submit">{td_string!(t, profile_save)}</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}
