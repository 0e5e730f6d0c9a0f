//! The privacy pages: "Your data" (a copy of one's data, erasing one's
//! account) and the administrative audit log.

use super::*;
use crate::components::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// `/profile/data`: a copy of everything Kring holds about the person, and
/// erasing their account.
#[component]
pub fn YourDataPage() -> impl IntoView {
    let t = use_viewer().locale();
    let request = ServerAction::<RequestDataCopy>::new();
    let request_error = Signal::derive(move || request.value().get().and_then(Result::err));
    let erase = ServerAction::<EraseMyAccount>::new();
    let erase_error = Signal::derive(move || erase.value().get().and_then(Result::err));
    let copy = Resource::new_blocking(|| (), |_| load_data_copy());
    view! {
        <Title text=td_string!(t, your_data_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, your_data_title)}</h1>
            <p>{td_string!(t, your_data_intro)} " " <a href="/privacy">{td_string!(t, privacy_title)}</a></p>
            <h2 id="copy">{td_string!(t, your_data_copy_heading)}</h2>
            <p>{td_string!(t, your_data_copy_text)}</p>
            <ErrorNotice error=request_error/>
            <Suspense>
                {move || Suspend::new(async move {
                    match copy.await {
                        Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                        Ok(copy) => view! { <DataCopyStatus copy request/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card narrow danger-zone">
            <h2 id="erase">{td_string!(t, your_data_erase_heading)}</h2>
            <p>{td_string!(t, your_data_erase_text)}</p>
            <p>{td_string!(t, your_data_erase_cases)}</p>
            <ErrorNotice error=erase_error/>
            <ActionForm action=erase>
                <LabeledField label=td_string!(t, your_data_erase_password)>
                    <input type="password" name="password" required autocomplete="current-password"/>
                </LabeledField>
                <button type="submit" class="danger">{td_string!(t, your_data_erase_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// Where the copy stands: a button to make one, its progress (the page
/// reloads itself every few seconds, without WebAssembly), or its link.
#[component]
fn DataCopyStatus(
    copy: Option<DataCopyView>,
    request: ServerAction<RequestDataCopy>,
) -> impl IntoView {
    let t = use_viewer().locale();
    let ask = move |label: &'static str| {
        view! {
            <ActionForm action=request>
                <button type="submit">{label}</button>
            </ActionForm>
        }
    };
    match copy {
        None => ask(td_string!(t, your_data_copy_make)).into_any(),
        Some(DataCopyView { state: CopyState::Underway, parts_done, parts_total, .. }) => {
            let progress = td_string!(t, your_data_copy_progress)
                .replace("%done%", &parts_done.to_string())
                .replace("%total%", &parts_total.to_string());
            view! {
                <Meta http_equiv="refresh" content="3"/>
                <p role="status" class="copy-progress">
                    <progress max=parts_total.to_string() value=parts_done.to_string()></progress>
                    " " {progress}
                </p>
            }
            .into_any()
        }
        Some(DataCopyView { state: CopyState::Ready, id, expires, .. }) => view! {
            <p role="status">
                <a class="button" href=format!("/profile/data/copies/{id}/kring-data.zip") download="kring-data.zip">
                    {td_string!(t, your_data_copy_download)}
                </a>
                " " {td_string!(t, your_data_copy_expires).replace("%when%", &expires.unwrap_or_default())}
            </p>
            {ask(td_string!(t, your_data_copy_again))}
        }
        .into_any(),
        Some(DataCopyView { state: CopyState::Failed, .. }) => view! {
            <p class="notice error" role="alert">{td_string!(t, your_data_copy_failed)}</p>
            {ask(td_string!(t, your_data_copy_again))}
        }
        .into_any(),
    }
}

/// `/admin/audit`: what admins and facilitators did to people and circles,
/// newest first, of one kind or all.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let t = use_viewer().locale();
    let (action, before) = use_query_map().with_untracked(|query| {
        (
            query.get("action").filter(|action| !action.is_empty()),
            query
                .get("before")
                .and_then(|before| before.parse::<i64>().ok()),
        )
    });
    let log = Resource::new_blocking(
        move || (action.clone(), before),
        |(action, before)| load_audit_log(action, before),
    );
    view! {
        <Title text=td_string!(t, audit_title)/>
        <h1>{td_string!(t, audit_title)}</h1>
        <p>{td_string!(t, audit_intro)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match log.await {
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                    Ok(log) => view! { <AuditLogList log/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AuditLogList(log: AuditLogView) -> impl IntoView {
    let t = use_viewer().locale();
    let older = log
        .older
        .map(|before| format!("/admin/audit?action={}&before={before}", log.action));
    view! {
        <form method="get" action="/admin/audit" class="inline">
            <LabeledField label=td_string!(t, audit_filter)>
                <select name="action">
                    <option value="" selected=log.action.is_empty()>{td_string!(t, audit_all)}</option>
                    {log.actions.into_iter().map(|(code, name)| {
                        let selected = code == log.action;
                        view! { <option value=code selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </LabeledField>
            <button type="submit" class="secondary">{td_string!(t, audit_apply)}</button>
        </form>
        <AuditLines lines=log.lines/>
        {older.map(|href| view! { <p><a href=href>{td_string!(t, audit_older)}</a></p> })}
    }
}

/// An admin's form, per person, to erase their account on request.
#[component]
pub fn EraseAccountForm(user: i64, action: ServerAction<EraseAccount>) -> impl IntoView {
    let t = use_viewer().locale();
    view! {
        <details class="erase-account">
            <summary>{td_string!(t, admin_erase)}</summary>
            <ActionForm action=action>
                <input type="hidden" name="user" value=user.to_string()/>
                <LabeledField label=td_string!(t, admin_erase_confirm)>
                    <input type="email" name="confirm_email" required/>
                </LabeledField>
                <button type="submit" class="danger">{td_string!(t, admin_erase_submit)}</button>
            </ActionForm>
        </details>
    }
}
