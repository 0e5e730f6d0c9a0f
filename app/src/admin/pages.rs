//! The administration page.
use super::*;
use crate::components::{ErrorNotice, LabeledField, Notice};
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPage() -> impl IntoView {
    let viewer = use_viewer();
    let (t, language) = (viewer.locale(), viewer.language);
    let set_role = ServerAction::<SetRole>::new();
    let create_organisation = ServerAction::<CreateOrganisation>::new();
    let add_member = ServerAction::<AddCohortMember>::new();
    let remove_member = ServerAction::<RemoveCohortMember>::new();
    let new_program = ServerAction::<CreateProgram>::new();
    let new_cohort = ServerAction::<CreateCohort>::new();
    let assign = ServerAction::<AssignFacilitator>::new();
    let unassign = ServerAction::<UnassignFacilitator>::new();
    let reset = ServerAction::<SendReset>::new();
    let erase = ServerAction::<crate::privacy::EraseAccount>::new();
    let error = Signal::derive(move || {
        set_role
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| create_organisation.value().get().and_then(Result::err))
            .or_else(|| add_member.value().get().and_then(Result::err))
            .or_else(|| remove_member.value().get().and_then(Result::err))
            .or_else(|| new_program.value().get().and_then(Result::err))
            .or_else(|| new_cohort.value().get().and_then(Result::err))
            .or_else(|| assign.value().get().and_then(Result::err))
            .or_else(|| unassign.value().get().and_then(Result::err))
            .or_else(|| reset.value().get().and_then(Result::err))
            .or_else(|| erase.value().get().and_then(Result::err))
    });
    let (saved, people_page) = use_query_map().with_untracked(|query| {
        (
            query.get("saved").is_some(),
            query
                .get("people")
                .and_then(|page| page.parse::<i64>().ok())
                .map(|page| page.saturating_sub(1).max(0)),
        )
    });
    let overview = Resource::new_blocking(move || people_page, admin_overview);
    view! {
        <Title text=td_string!(t, admin_title)/>
        <h1>{td_string!(t, admin_title)}</h1>
        <p><a href="/admin/audit">{td_string!(t, audit_title)}</a></p>
        <Notice show=saved text=td_string!(t, admin_saved)/>
        <ErrorNotice error/>
        <Suspense>
            {move || Suspend::new(async move {
                let overview = match overview.await {
                    Ok(overview) => overview,
                    Err(error) => return view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                };
                let tzdb = td_string!(t, admin_tzdb).replace("%version%", &overview.tzdb_version);
                let programs = overview.programs.clone();
                view! {
                    <p class="meta tzdb">{tzdb}</p>
                    <section class="card">
                        <h2>{td_string!(t, admin_users)}</h2>
                        <table>
                            <thead><tr>
                                <th>{td_string!(t, admin_name)}</th><th>{td_string!(t, field_email)}</th>
                                <th>{td_string!(t, field_organisation)}</th><th>{td_string!(t, field_time_zone)}</th>
                                <th>{td_string!(t, profile_role)}</th>
                            </tr></thead>
                            <tbody>
                                {overview.people.into_iter().map(|person| view! {
                                    <tr>
                                        <td>{person.display_name}</td><td>{person.email}</td>
                                        <td>{person.organisation.unwrap_or_default()}</td><td>{person.time_zone}</td>
                                        <td>
                                            <ActionForm action=set_role>
                                                <input type="hidden" name="user" value=person.id.to_string()/>
                                                <select name="role" aria-label=td_string!(t, profile_role)>
                                                    {Role::ALL.into_iter().map(|role| view! {
                                                        <option value=role.as_str() selected=role == person.role>{role_name(t, role)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <button type="submit" class="secondary">{td_string!(t, admin_role_save)}</button>
                                            </ActionForm>
                                            <ActionForm action=reset attr:class="inline">
                                                <input type="hidden" name="user" value=person.id.to_string()/>
                                                <button type="submit" class="link">{td_string!(t, people_send_reset)}</button>
                                            </ActionForm>
                                            <crate::privacy::EraseAccountForm user=person.id action=erase/>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <crate::components::Pager pages=overview.people_pages base="/admin".to_owned() t key="people"/>
                    </section>
                    <section class="card">
                        <h2>{td_string!(t, admin_organisations)}</h2>
                        <ul>
                            {overview.organisations.into_iter().map(|o| view! {
                                <li>{o.name} " · " {o.country} " · " {o.member_count}</li>
                            }).collect_view()}
                        </ul>
                        <ActionForm action=create_organisation>
                            <LabeledField label=td_string!(t, admin_name)>
                                <input type="text" name="name" required maxlength="120"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, field_country)>
                                <select name="country">
                                    {crate::i18n::country_options(language, String::new())}
                                </select>
                            </LabeledField>
                            <button type="submit">{td_string!(t, admin_add_organisation)}</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{td_string!(t, admin_programs)}</h2>
                        <ul>{programs.iter().map(|(_, name)| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
                        <ActionForm action=new_program>
                            <LabeledField label=td_string!(t, admin_name)>
                                <input type="text" name="name" required maxlength="120"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_description)>
                                <input type="text" name="description"/>
                            </LabeledField>
                            <button type="submit">{td_string!(t, admin_add_program)}</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{td_string!(t, admin_cohorts)}</h2>
                        {overview.cohorts.into_iter().map(|cohort| {
                            let cohort_id = cohort.id;
                            view! {
                                <h3>{cohort.name}</h3>
                                <p><a href=format!("/cohorts/{cohort_id}/people")>{td_string!(t, people_manage)}</a></p>
                                <p>{td_string!(t, admin_facilitators)} ":"</p>
                                <ul class="members">
                                    {cohort.facilitators.into_iter().map(|(person, name)| view! {
                                        <li>
                                            {name} " "
                                            <ActionForm action=unassign attr:class="inline">
                                                <input type="hidden" name="cohort" value=cohort_id.to_string()/>
                                                <input type="hidden" name="user" value=person.to_string()/>
                                                <button type="submit" class="link">{td_string!(t, admin_unassign_facilitator)}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=assign>
                                    <input type="hidden" name="cohort" value=cohort_id.to_string()/>
                                    <LabeledField label=td_string!(t, admin_person_email)>
                                        <input type="email" name="email" required autocomplete="off"/>
                                    </LabeledField>
                                    <button type="submit">{td_string!(t, admin_assign_facilitator)}</button>
                                </ActionForm>
                                <p>{td_string!(t, admin_members)} ":"</p>
                                <ul class="members">
                                    {cohort.members.into_iter().map(|(member, name, group)| view! {
                                        <li>
                                            {match group {
                                                Some(group) => format!("{name} ({group})"),
                                                None => name,
                                            }} " "
                                            <ActionForm action=remove_member attr:class="inline">
                                                <input type="hidden" name="cohort" value=cohort_id.to_string()/>
                                                <input type="hidden" name="user" value=member.to_string()/>
                                                <button type="submit" class="link">{td_string!(t, admin_remove_member)}</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=add_member>
                                    <input type="hidden" name="cohort" value=cohort_id.to_string()/>
                                    <LabeledField label=td_string!(t, admin_person_email)>
                                        <input type="email" name="email" required autocomplete="off"/>
                                    </LabeledField>
                                    <LabeledField label=td_string!(t, admin_language_group)>
                                        <select name="group">
                                            {cohort.groups.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                        </select>
                                    </LabeledField>
                                    <button type="submit">{td_string!(t, admin_add_member)}</button>
                                </ActionForm>
                            }
                        }).collect_view()}
                        <h3>{td_string!(t, admin_add_cohort)}</h3>
                        <ActionForm action=new_cohort>
                            <LabeledField label=td_string!(t, admin_program)>
                                <select name="cohort[program]">
                                    {overview.programs.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                </select>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_name)>
                                <input type="text" name="cohort[name]" required maxlength="120"/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_starts_on)>
                                <input type="date" name="cohort[starts_on]" required/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, admin_ends_on)>
                                <input type="date" name="cohort[ends_on]" required/>
                            </LabeledField>
                            <fieldset>
                                <legend>{td_string!(t, admin_language_groups)}</legend>
                                {Language::ALL.into_iter().map(|language| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("cohort[group_{}]", language.code()) value="on"/>
                                        {language.native_name()}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <button type="submit">{td_string!(t, admin_add_cohort)}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
