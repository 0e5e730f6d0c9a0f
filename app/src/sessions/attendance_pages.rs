//! The session page's parts around the session: "I can't come", the notes and
//! recording, the attendance sheet and follow-up form for facilitators; and the
//! reminder setting on the profile.

use super::*;
use crate::components::{ErrorNotice, LabeledField, Notice, TextArea};
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::AttendanceMark;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn mark_name(t: Locale, mark: AttendanceMark) -> &'static str {
    match mark {
        AttendanceMark::Present => td_string!(t, attendance_present),
        AttendanceMark::Absent => td_string!(t, attendance_absent),
        AttendanceMark::Excused => td_string!(t, attendance_excused),
    }
}

/// On a session's page, below the session.
#[component]
pub fn FollowUpSection(follow_up: FollowUp) -> impl IntoView {
    let t = use_viewer().locale();
    let coming = ServerAction::<SetComing>::new();
    let attendance = ServerAction::<TakeAttendance>::new();
    let save = ServerAction::<SaveFollowUp>::new();
    let error = Signal::derive(move || {
        coming
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| attendance.value().get().and_then(Result::err))
            .or_else(|| save.value().get().and_then(Result::err))
    });
    let (attendance_saved, notes_saved) = use_query_map().with_untracked(|q| {
        (
            q.get("attendance").as_deref() == Some("saved"),
            q.get("notes").as_deref() == Some("saved"),
        )
    });
    let id = follow_up.session;
    view! {
        <ErrorNotice error/>
        {follow_up.may_say_absent.then(|| view! {
            <section class="card" id="coming">
                <p>{if follow_up.said_absent { td_string!(t, attendance_said_absent) } else { td_string!(t, attendance_expected) }}</p>
                <ActionForm action=coming>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <input type="hidden" name="coming" value=follow_up.said_absent.to_string()/>
                    <button type="submit" class="secondary">
                        {if follow_up.said_absent { td_string!(t, attendance_coming_after_all) } else { td_string!(t, attendance_cannot_come) }}
                    </button>
                </ActionForm>
            </section>
        })}
        {(follow_up.notes_html.is_some() || follow_up.recording_link.is_some()).then(|| view! {
            <section class="card" id="notes">
                <h2>{td_string!(t, follow_up_title)}</h2>
                {follow_up.recording_link.clone().map(|link| view! {
                    <p><a href=link rel="noopener noreferrer" target="_blank">{td_string!(t, follow_up_recording)}</a></p>
                })}
                {follow_up.notes_html.clone().map(|html| view! { <div class="unit-body" inner_html=html></div> })}
            </section>
        })}
        {follow_up.staff.clone().map(|staff| view! {
            <AttendanceSheet id staff=staff.clone() action=attendance saved=attendance_saved/>
            <section class="card" id="follow-up">
                <h2>{td_string!(t, follow_up_edit_title)}</h2>
                <Notice show=notes_saved text=td_string!(t, follow_up_saved)/>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <LabeledField label=td_string!(t, follow_up_notes) hint=td_string!(t, follow_up_notes_hint)>
                        <TextArea name="notes" text=staff.notes.clone()/>
                    </LabeledField>
                    <LabeledField label=td_string!(t, follow_up_recording_link)>
                        <input type="url" name="recording" maxlength="500" placeholder="https://" value=staff.recording_link.clone()/>
                    </LabeledField>
                    <button type="submit">{td_string!(t, profile_save)}</button>
                </ActionForm>
            </section>
        })}
    }
}

/// Every expected member with three choices, quick to tap on a phone.
#[component]
fn AttendanceSheet(
    id: i64,
    staff: StaffFollowUp,
    action: ServerAction<TakeAttendance>,
    saved: bool,
) -> impl IntoView {
    let t = use_viewer().locale();
    let present = staff
        .sheet
        .iter()
        .filter(|row| row.mark == Some(AttendanceMark::Present))
        .count();
    view! {
        <section class="card" id="attendance">
            <h2>{td_string!(t, attendance_title)}</h2>
            <Notice show=saved text=td_string!(t, attendance_saved)/>
            <p>{td_string!(t, attendance_count)
                .replace("%present%", &present.to_string())
                .replace("%expected%", &staff.sheet.len().to_string())}</p>
            {if !staff.may_take_attendance {
                view! { <p class="hint">{td_string!(t, errors_session_not_started)}</p> }.into_any()
            } else if staff.sheet.is_empty() {
                view! { <p class="hint">{td_string!(t, attendance_nobody)}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action attr:class="attendance">
                        <input type="hidden" name="id" value=id.to_string()/>
                        {staff.sheet.into_iter().map(|row| {
                            let field = format!("marks[{}]", row.user);
                            view! {
                                <fieldset>
                                    <legend>
                                        {row.name.clone()}
                                        {row.group.clone().map(|group| format!(" · {group}"))}
                                        {row.said_absent.then(|| format!(" · {}", td_string!(t, attendance_said_ahead)))}
                                    </legend>
                                    {AttendanceMark::ALL.into_iter().map(|mark| view! {
                                        <label class="choice">
                                            <input type="radio" name=field.clone() value=mark.code() checked=row.mark == Some(mark)/>
                                            " " {mark_name(t, mark)}
                                        </label>
                                    }).collect_view()}
                                </fieldset>
                            }
                        }).collect_view()}
                        <button type="submit">{td_string!(t, attendance_save)}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// On the profile page: whether Kring reminds the person of sessions.
#[component]
pub fn ReminderSetting() -> impl IntoView {
    let t = use_viewer().locale();
    let save = ServerAction::<SetReminders>::new();
    let saved =
        use_query_map().with_untracked(|query| query.get("saved").as_deref() == Some("reminders"));
    let setting = Resource::new_blocking(|| (), |_| reminder_setting());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                setting.await.ok().map(|wanted| view! {
                    <section class="card narrow" id="reminders">
                        <h2>{td_string!(t, reminders_title)}</h2>
                        <Notice show=saved text=td_string!(t, reminders_saved)/>
                        <ActionForm action=save>
                            <label class="check">
                                <input type="checkbox" name="wanted" value="yes" checked=wanted/>
                                " " {td_string!(t, reminders_label)}
                            </label>
                            <button type="submit">{td_string!(t, profile_save)}</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}
