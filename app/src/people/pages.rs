//! `/cohorts/:id/people`, where a cohort's facilitators manage its people and
//! invitations, the preview of an uploaded file of people to invite, and `/join?token=…`,
//! where an invitation leads.

use super::*;
use crate::accounts::{RegisterForm, RegisteringInvitation};
use crate::components::{route_id, ErrorNotice, LabeledField, Notice, TextArea};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The cohort's language groups as options, `selected` (a group's name) chosen.
fn group_options(groups: &[(i64, String)], selected: Option<&str>) -> impl IntoView + use<> {
    groups
        .iter()
        .map(|(id, name)| {
            let chosen = selected == Some(name.as_str());
            view! { <option value=id.to_string() selected=chosen>{name.clone()}</option> }
        })
        .collect_view()
}

fn state_text(t: Locale, state: InvitationState) -> &'static str {
    match state {
        InvitationState::Pending => td_string!(t, people_state_pending),
        InvitationState::Opened => td_string!(t, people_state_opened),
        InvitationState::Accepted => td_string!(t, people_state_accepted),
        InvitationState::Bounced => td_string!(t, people_state_bounced),
        InvitationState::Expired => td_string!(t, people_state_expired),
        InvitationState::Revoked => td_string!(t, people_state_revoked),
        InvitationState::UsedUp => td_string!(t, people_state_used_up),
    }
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let t = use_viewer().locale();
    let cohort = route_id();
    let create_link = ServerAction::<CreateInvitationLink>::new();
    let invite = ServerAction::<InvitePeople>::new();
    let cancel = ServerAction::<CancelInvitation>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let move_to = ServerAction::<MoveMember>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let reset = ServerAction::<SendMemberReset>::new();
    let error = Signal::derive(move || {
        create_link
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| invite.value().get().and_then(Result::err))
            .or_else(|| cancel.value().get().and_then(Result::err))
            .or_else(|| resend.value().get().and_then(Result::err))
            .or_else(|| move_to.value().get().and_then(Result::err))
            .or_else(|| remove.value().get().and_then(Result::err))
            .or_else(|| reset.value().get().and_then(Result::err))
    });
    let (invited, reset_sent, draft) = use_query_map().with_untracked(|query| {
        (
            query.get("invited").is_some(),
            query.get("reset").is_some(),
            query
                .get("draft")
                .and_then(|draft| draft.parse::<i64>().ok()),
        )
    });
    let people = Resource::new_blocking(
        move || (cohort, draft),
        |(cohort, draft)| load_people(cohort, draft),
    );
    view! {
        <Title text=td_string!(t, people_manage)/>
        <Suspense>
            {move || Suspend::new(async move {
                let view = match people.await {
                    Ok(view) => view,
                    Err(error) => return view! { <ErrorNotice error=Some(error)/> }.into_any(),
                };
                let cohort = view.cohort;
                let link_groups = group_options(&view.groups, None);
                let mail_groups = group_options(&view.groups, None);
                let members: Vec<_> = view
                    .members
                    .into_iter()
                    .map(|member| {
                        let options = group_options(&view.groups, member.group.as_deref());
                        (member, options)
                    })
                    .collect();
                view! {
                    <h1>{view.cohort_name.clone()} " · " {td_string!(t, people_manage)}</h1>
                    <p><a href=format!("/cohorts/{cohort}/dashboard")>{td_string!(t, dashboard_title)}</a></p>
                    <ErrorNotice error/>
                    <Notice show=invited text=td_string!(t, people_invited)/>
                    <Notice show=reset_sent text=td_string!(t, people_reset_sent)/>
                    <section class="card" aria-labelledby="invite-heading">
                        <h2 id="invite-heading">{td_string!(t, people_invite_link)}</h2>
                        {view.new_link.clone().map(|link| view! {
                            <div id="new-link" class="notice" role="status">
                                <p>{td_string!(t, people_new_link)}</p>
                                <p><input type="text" readonly value=link aria-label=td_string!(t, people_invite_link)/></p>
                            </div>
                        })}
                        <ActionForm action=create_link>
                            <input type="hidden" name="link[cohort]" value=cohort.to_string()/>
                            <LabeledField label=td_string!(t, admin_language_group)>
                                <select name="link[group]">{link_groups}</select>
                            </LabeledField>
                            <LabeledField label=td_string!(t, people_days)>
                                <input type="number" name="link[days]" value="14" min="1" max="90" required/>
                            </LabeledField>
                            <LabeledField label=td_string!(t, people_uses) hint=td_string!(t, people_uses_hint)>
                                <input type="number" name="link[uses]" min="1" max="1000"/>
                            </LabeledField>
                            <button type="submit">{td_string!(t, people_create_link)}</button>
                        </ActionForm>
                        <h2>{td_string!(t, people_invite_mail)}</h2>
                        {if view.mail {
                            view! {
                                <ErrorNotice error=view.draft_error.clone()/>
                                <ActionForm action=invite attr:id="invite-mail">
                                    <input type="hidden" name="invite[cohort]" value=cohort.to_string()/>
                                    <LabeledField label=td_string!(t, people_list) hint=td_string!(t, people_list_hint)>
                                        <TextArea name="invite[people]" text=view.draft.clone().unwrap_or_default()/>
                                    </LabeledField>
                                    <LabeledField label=td_string!(t, admin_language_group)>
                                        <select name="invite[group]">{mail_groups}</select>
                                    </LabeledField>
                                    <LabeledField label=td_string!(t, people_days)>
                                        <input type="number" name="invite[days]" value="14" min="1" max="90" required/>
                                    </LabeledField>
                                    <LabeledField label=td_string!(t, people_invite_as)>
                                        <select name="invite[role]">
                                            <option value="participant">{td_string!(t, role_participant)}</option>
                                            <option value="facilitator">{td_string!(t, people_co_facilitator)}</option>
                                        </select>
                                    </LabeledField>
                                    <button type="submit">{td_string!(t, people_send)}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <p>{td_string!(t, people_no_mail)}</p> }.into_any()
                        }}
                        <h2>{td_string!(t, people_import)}</h2>
                        <p class="hint">{td_string!(t, people_import_hint)}</p>
                        <form method="post" action="/api/people/import" enctype="multipart/form-data">
                            <input type="hidden" name="cohort" value=cohort.to_string()/>
                            <LabeledField label=td_string!(t, people_import_file)>
                                <input type="file" name="file" accept=".csv,text/csv" required/>
                            </LabeledField>
                            <button type="submit">{td_string!(t, people_import_preview)}</button>
                        </form>
                    </section>
                    <section class="card" aria-labelledby="invitations-heading">
                        <h2 id="invitations-heading">{td_string!(t, people_invitations)}</h2>
                        <table>
                            <thead><tr>
                                <th scope="col">{td_string!(t, people_invitee)}</th>
                                <th scope="col">{td_string!(t, admin_language_group)}</th>
                                <th scope="col">{td_string!(t, people_state)}</th>
                                <th scope="col">{td_string!(t, people_expires)}</th>
                                <th scope="col"><span class="visually-hidden">{td_string!(t, people_actions)}</span></th>
                            </tr></thead>
                            <tbody>
                                {view.invitations.into_iter().map(|row| {
                                    let open = matches!(row.state, InvitationState::Pending | InvitationState::Opened | InvitationState::Bounced);
                                    let mailed = row.email.is_some();
                                    let who = match (&row.name, &row.email) {
                                        (Some(name), Some(email)) => format!("{name} <{email}>"),
                                        (None, Some(email)) => email.clone(),
                                        _ => match row.uses_left {
                                            Some(left) => td_string!(t, people_link_uses)
                                                .replace("%accepted%", &row.accepted.to_string())
                                                .replace("%left%", &left.to_string()),
                                            None => td_string!(t, people_link_joined)
                                                .replace("%accepted%", &row.accepted.to_string()),
                                        },
                                    };
                                    let id = row.id;
                                    view! {
                                        <tr>
                                            <td>{who}{row.facilitator.then(|| format!(" · {}", td_string!(t, people_co_facilitator)))}</td>
                                            <td>{row.group.unwrap_or_default()}</td>
                                            <td>{state_text(t, row.state)}</td>
                                            <td>{row.expires}</td>
                                            <td>
                                                {(open && mailed).then(|| view! {
                                                    <ActionForm action=resend attr:class="inline">
                                                        <input type="hidden" name="id" value=id.to_string()/>
                                                        <button type="submit" class="link">{td_string!(t, people_resend)}</button>
                                                    </ActionForm>
                                                })}
                                                {(open || row.state == InvitationState::UsedUp).then(|| view! {
                                                    <ActionForm action=cancel attr:class="inline">
                                                        <input type="hidden" name="id" value=id.to_string()/>
                                                        <button type="submit" class="link">{td_string!(t, people_cancel)}</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                    <section class="card" aria-labelledby="members-heading">
                        <h2 id="members-heading">{td_string!(t, admin_members)}</h2>
                        <p>{td_string!(t, admin_facilitators)} ": "
                            {view.facilitators.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>().join(", ")}
                        </p>
                        <ul class="members">
                            {members.into_iter().map(|(member, options)| {
                                let user = member.id;
                                view! {
                                    <li>
                                        <strong>{member.name.clone()}</strong>
                                        {member.organisation.map(|organisation| format!(" · {organisation}"))}
                                        <ActionForm action=move_to attr:class="inline">
                                            <input type="hidden" name="cohort" value=cohort.to_string()/>
                                            <input type="hidden" name="user" value=user.to_string()/>
                                            <label>
                                                <span class="visually-hidden">{td_string!(t, admin_language_group)}</span>
                                                <select name="group">{options}</select>
                                            </label>
                                            <button type="submit" class="link">{td_string!(t, people_move)}</button>
                                        </ActionForm>
                                        <ActionForm action=reset attr:class="inline">
                                            <input type="hidden" name="cohort" value=cohort.to_string()/>
                                            <input type="hidden" name="user" value=user.to_string()/>
                                            <button type="submit" class="link">{td_string!(t, people_send_reset)}</button>
                                        </ActionForm>
                                        <ActionForm action=remove attr:class="inline">
                                            <input type="hidden" name="cohort" value=cohort.to_string()/>
                                            <input type="hidden" name="user" value=user.to_string()/>
                                            <button type="submit" class="link">{td_string!(t, admin_remove_member)}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// `/join?token=…`: where an invitation leads. Someone signed in accepts it; someone
/// new creates their account with it; a closed one says why.
#[component]
pub fn JoinPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let signed_in = viewer.user.is_some();
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = Signal::derive(move || accept.value().get().and_then(Result::err));
    let token = use_query_map().with_untracked(|query| query.get("token").unwrap_or_default());
    let invitation = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        load_invitation,
    );
    view! {
        <Title text=td_string!(t, join_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, join_title)}</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let invitation = match invitation.await {
                            Ok(invitation) => invitation,
                            Err(error) => return view! { <ErrorNotice error=Some(error)/> }.into_any(),
                        };
                        let place = match &invitation.group {
                            Some(group) => format!("{} · {group}", invitation.cohort_name),
                            None => invitation.cohort_name.clone(),
                        };
                        let intro = td_string!(t, join_intro)
                            .replace("%inviter%", invitation.inviter.as_deref().unwrap_or("Kring"))
                            .replace("%cohort%", &place);
                        if let Some(closed) = invitation.closed {
                            return view! {
                                <p>{intro}</p>
                                <ErrorNotice error=Some(closed)/>
                            }.into_any();
                        }
                        let seen = vec![("token".to_owned(), token.clone())];
                        let body = if signed_in {
                            view! {
                                <ErrorNotice error/>
                                <ActionForm action=accept>
                                    <input type="hidden" name="token" value=token.clone()/>
                                    <button type="submit">{td_string!(t, join_accept)}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            let back = format!("/join?token={token}");
                            let login = format!(
                                "/login?back={}",
                                percent_encoding::utf8_percent_encode(&back, percent_encoding::NON_ALPHANUMERIC)
                            );
                            view! {
                                <p class="aside">{td_string!(t, register_have_account)} " "
                                    <a href=login>{td_string!(t, join_log_in)}</a>
                                </p>
                                <h2>{td_string!(t, register_title)}</h2>
                                <RegisterForm invitation=Some(RegisteringInvitation {
                                    token: token.clone(),
                                    email: invitation.email.clone(),
                                    name: invitation.name.clone(),
                                    language: invitation.language,
                                })/>
                            }.into_any()
                        };
                        view! {
                            <p>{intro}</p>
                            {invitation.facilitator.then(|| view! { <p>{td_string!(t, join_as_facilitator)}</p> })}
                            {body}
                            <crate::behaviours::ReportSeen action="/api/join/opened".to_owned() fields=seen/>
                        }.into_any()
                    })
                }}
            </Suspense>
        </section>
    }
}

/// `/cohorts/:id/people/import/:import`: an uploaded file before anything is sent: the
/// rows to invite, and every row that cannot be with its reason.
#[component]
pub fn ImportPage() -> impl IntoView {
    let t = use_viewer().locale();
    let cohort = route_id();
    let import = leptos_router::hooks::use_params_map().with_untracked(|params| {
        params
            .get("import")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(-1)
    });
    let send = ServerAction::<SendImport>::new();
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    let preview = Resource::new_blocking(
        move || (cohort, import),
        |(cohort, import)| load_import(cohort, import),
    );
    view! {
        <Title text=td_string!(t, people_import)/>
        <Suspense>
            {move || Suspend::new(async move {
                let preview = match preview.await {
                    Ok(preview) => preview,
                    Err(error) => return view! { <ErrorNotice error=Some(error)/> }.into_any(),
                };
                let back = format!("/cohorts/{}/people", preview.cohort);
                let clean = preview.refused.is_empty();
                view! {
                    <h1>{preview.cohort_name.clone()} " · " {td_string!(t, people_import)}</h1>
                    <ErrorNotice error/>
                    {(!clean).then(|| view! {
                        <section class="card" aria-labelledby="refused-heading">
                            <h2 id="refused-heading">{td_string!(t, people_import_refused)}</h2>
                            <p role="alert">{td_string!(t, people_import_nothing_sent)}</p>
                            <table>
                                <thead><tr>
                                    <th scope="col">{td_string!(t, people_line)}</th>
                                    <th scope="col">{td_string!(t, people_row)}</th>
                                    <th scope="col">{td_string!(t, people_reason)}</th>
                                </tr></thead>
                                <tbody>
                                    {preview.refused.iter().map(|(line, text, reason)| view! {
                                        <tr><td>{*line}</td><td>{text.clone()}</td><td>{reason.clone()}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    })}
                    <section class="card" aria-labelledby="rows-heading">
                        <h2 id="rows-heading">{td_string!(t, people_import_rows).replace("%count%", &preview.rows.len().to_string())}</h2>
                        <table>
                            <thead><tr>
                                <th scope="col">{td_string!(t, people_line)}</th>
                                <th scope="col">{td_string!(t, field_display_name)}</th>
                                <th scope="col">{td_string!(t, field_email)}</th>
                                <th scope="col">{td_string!(t, field_organisation)}</th>
                                <th scope="col">{td_string!(t, field_country)}</th>
                                <th scope="col">{td_string!(t, admin_language_group)}</th>
                            </tr></thead>
                            <tbody>
                                {preview.rows.iter().map(|row| view! {
                                    <tr>
                                        <td>{row.line}</td><td>{row.name.clone()}</td><td>{row.email.clone()}</td>
                                        <td>{row.organisation.clone().unwrap_or_default()}</td>
                                        <td>{row.country.clone()}</td><td>{row.group.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {clean.then(|| view! {
                            <ActionForm action=send>
                                <input type="hidden" name="cohort" value=preview.cohort.to_string()/>
                                <input type="hidden" name="import" value=preview.import.to_string()/>
                                <LabeledField label=td_string!(t, people_days)>
                                    <input type="number" name="days" value="14" min="1" max="90" required/>
                                </LabeledField>
                                <button type="submit">{td_string!(t, people_import_send).replace("%count%", &preview.rows.len().to_string())}</button>
                            </ActionForm>
                        })}
                        <p><a href=back>{td_string!(t, people_import_back)}</a></p>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
