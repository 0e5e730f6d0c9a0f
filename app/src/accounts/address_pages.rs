//! The profile's address section (confirmed or not, sending the link again, changing the
//! address) and `/verify-email?token=…`, where the mailed link leads.

use super::*;
use crate::components::{ErrorNotice, LabeledField, Notice};
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where the profile's address stands, and the forms that change it.
#[component]
pub fn AddressSection(profile: Profile) -> impl IntoView {
    let t = use_viewer().locale();
    let resend = ServerAction::<ResendVerification>::new();
    let change = ServerAction::<ChangeEmail>::new();
    let error = Signal::derive(move || {
        resend
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| change.value().get().and_then(Result::err))
    });
    let saved = use_query_map().with_untracked(|query| query.get("saved"));
    let state = if profile.email_verified {
        td_string!(t, profile_verified)
    } else {
        td_string!(t, profile_unverified)
    };
    let unconfirmed = !profile.email_verified || profile.pending_email.is_some();
    view! {
        <section class="card narrow" aria-labelledby="address-heading">
            <h2 id="address-heading">{td_string!(t, profile_address)}</h2>
            <Notice show=saved.as_deref() == Some("verified") text=td_string!(t, verify_done)/>
            <Notice show=saved.as_deref() == Some("sent") text=td_string!(t, profile_link_sent)/>
            <ErrorNotice error/>
            <p><strong>{profile.email.clone()}</strong></p>
            <p class="hint" id="address-state">{state}</p>
            {profile.pending_email.clone().map(|pending| view! {
                <p class="hint">{td_string!(t, profile_pending).replace("%email%", &pending)}</p>
            })}
            {unconfirmed.then(|| view! {
                <ActionForm action=resend>
                    <button type="submit" class="secondary">{td_string!(t, profile_resend)}</button>
                </ActionForm>
            })}
            <ActionForm action=change>
                <LabeledField label=td_string!(t, profile_new_address)>
                    <input type="email" name="email" required autocomplete="email"/>
                </LabeledField>
                <LabeledField label=td_string!(t, password_current)>
                    <input type="password" name="current_password" required autocomplete="current-password"/>
                </LabeledField>
                <button type="submit">{td_string!(t, profile_change_address)}</button>
            </ActionForm>
        </section>
    }
}

/// `/verify-email?token=…`: the mailed link; a button confirms, so that nothing changes
/// by merely loading the page (a mail scanner following links confirms nothing).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let t = use_viewer().locale();
    let verify = ServerAction::<VerifyEmail>::new();
    let error = Signal::derive(move || verify.value().get().and_then(Result::err));
    let token = use_query_map().with_untracked(|query| query.get("token").unwrap_or_default());
    let address = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        load_email_verification,
    );
    view! {
        <Title text=td_string!(t, verify_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, verify_title)}</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match address.await {
                            Err(error) => view! { <ErrorNotice error=Some(error)/> }.into_any(),
                            Ok(email) => view! {
                                <ErrorNotice error/>
                                <p>{td_string!(t, verify_intro).replace("%email%", &email)}</p>
                                <ActionForm action=verify>
                                    <input type="hidden" name="token" value=token/>
                                    <button type="submit">{td_string!(t, verify_submit)}</button>
                                </ActionForm>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
