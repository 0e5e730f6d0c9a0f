//! A circle's card: its question, places, members and what the viewer may do.

use crate::forum::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::forum::CircleStatus;
use leptos::prelude::*;

fn status_text(t: Locale, status: CircleStatus) -> &'static str {
    match status {
        CircleStatus::Open => td_string!(t, circles_status_open),
        CircleStatus::Closed => td_string!(t, circles_status_closed),
        CircleStatus::Archived => td_string!(t, circles_status_archived),
    }
}

/// One circle on the forum page: its places, its members (for those inside),
/// a join button, and for facilitators the buttons that close or archive it.
#[component]
pub fn CircleCard(
    circle: CircleEntry,
    staff: bool,
    join: ServerAction<JoinCircle>,
    leave: ServerAction<LeaveCircle>,
    status: ServerAction<SetCircleStatus>,
) -> impl IntoView {
    let t = use_viewer().locale();
    let id = circle.id;
    let full = circle.member_count >= circle.capacity;
    let may_join = !circle.member && circle.status == CircleStatus::Open && !full;
    let places = td_string!(t, circles_places)
        .replace("%taken%", &circle.member_count.to_string())
        .replace("%capacity%", &circle.capacity.to_string());
    let changes: Vec<(CircleStatus, &'static str)> = [
        (CircleStatus::Open, td_string!(t, circles_reopen)),
        (CircleStatus::Closed, td_string!(t, circles_close)),
        (CircleStatus::Archived, td_string!(t, circles_archive)),
    ]
    .into_iter()
    .filter(|(target, _)| *target != circle.status)
    .collect();
    view! {
        <li class="card circle" data-circle=id.to_string()>
            <h3>
                {if circle.may_read {
                    view! { <a href=format!("/forum/categories/{}", circle.category)>{circle.question.clone()}</a> }.into_any()
                } else {
                    view! { <span>{circle.question.clone()}</span> }.into_any()
                }}
            </h3>
            <p class="meta">
                <span class=format!("status {}", circle.status.code())>{status_text(t, circle.status)}</span>
                " · " {places}
                {circle.member.then(|| view! { " · " <strong>{td_string!(t, circles_you_are_member)}</strong> })}
            </p>
            {(!circle.members.is_empty() && !staff).then(|| view! {
                <p class="members">
                    {td_string!(t, circles_members)} ": "
                    {circle.members.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            })}
            {(!circle.members.is_empty() && staff).then(|| view! {
                <ul class="members">
                    {circle.members.iter().cloned().map(|(member, name)| view! {
                        <li>
                            {name} " "
                            <ActionForm action=leave attr:class="inline">
                                <input type="hidden" name="circle" value=id.to_string()/>
                                <input type="hidden" name="member" value=member.to_string()/>
                                <button type="submit" class="link">{td_string!(t, circles_remove_member)}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(circle.member && !staff).then(|| view! {
                <ActionForm action=leave>
                    <input type="hidden" name="circle" value=id.to_string()/>
                    <button type="submit" class="secondary small">{td_string!(t, circles_leave)}</button>
                </ActionForm>
            })}
            {may_join.then(|| view! {
                <ActionForm action=join>
                    <input type="hidden" name="circle" value=id.to_string()/>
                    <button type="submit">{td_string!(t, circles_join)}</button>
                </ActionForm>
            })}
            {(full && !circle.member && circle.status == CircleStatus::Open).then(|| view! {
                <p class="hint">{td_string!(t, circles_full)}</p>
            })}
            {staff.then(|| view! {
                <div class="actions">
                    {changes.into_iter().map(|(target, label)| view! {
                        <ActionForm action=status>
                            <input type="hidden" name="circle" value=id.to_string()/>
                            <input type="hidden" name="status" value=target.code()/>
                            <button type="submit" class="secondary small">{label}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
            })}
        </li>
    }
}
