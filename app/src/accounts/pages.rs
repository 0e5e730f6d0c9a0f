//! The login, password-recovery, registration and profile pages.
use super::*;
use crate::components::{ErrorNotice, LabeledField, Notice};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_viewer().locale();
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    let (back, verified) = use_query_map()
        .with_untracked(|query| (query.get("back"), query.get("verified").is_some()));
    view! {
        <Title text=td_string!(t, login_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, login_title)}</h1>
            <Notice show=verified text=td_string!(t, verify_done)/>
            <ErrorNotice error/>
            <ActionForm action=login>
                {back.map(|back| view! { <input type="hidden" name="back" value=back/> })}
                <LabeledField label=td_string!(t, field_email)>
                    <input type="email" name="email" required autocomplete="email" autofocus/>
                </LabeledField>
                <LabeledField label=td_string!(t, field_password)>
                    <input type="password" name="password" required autocomplete="current-password"/>
                </LabeledField>
                <button type="submit">{td_string!(t, login_submit)}</button>
            </ActionForm>
            <p class="aside"><a href="/forgot-password">{td_string!(t, login_forgot)}</a></p>
            {registration_open().then(|| view! {
                <p class="aside">{td_string!(t, login_no_account)} " " <a href="/register">{td_string!(t, nav_register)}</a></p>
            })}
        </section>
    }
}

/// `/forgot-password`: asks for the account's address and mails a reset link.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let t = use_viewer().locale();
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    let sent = use_query_map().with_untracked(|query| query.get("sent").is_some());
    view! {
        <Title text=td_string!(t, forgot_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, forgot_title)}</h1>
            <Notice show=sent text=td_string!(t, forgot_sent)/>
            <ErrorNotice error/>
            <p>{td_string!(t, forgot_intro)}</p>
            <ActionForm action=request>
                <LabeledField label=td_string!(t, field_email)>
                    <input type="email" name="email" required autocomplete="email" autofocus/>
                </LabeledField>
                <button type="submit">{td_string!(t, forgot_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// `/reset-password?token=…`: the link from the reset e-mail; asks for the new password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = use_viewer().locale();
    let reset = ServerAction::<ResetPassword>::new();
    let reset_error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let token = use_query_map().with_untracked(|query| query.get("token").unwrap_or_default());
    let link = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        |token| async move { load_reset_link(token).await },
    );
    view! {
        <Title text=td_string!(t, reset_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, reset_title)}</h1>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                    match link.await {
                        Err(error) => view! {
                            <ErrorNotice error=Signal::stored(Some(error))/>
                            <p><a href="/forgot-password">{td_string!(t, reset_ask_again)}</a></p>
                        }.into_any(),
                        Ok(link) => view! {
                            <ErrorNotice error=reset_error/>
                            <p>{td_string!(t, reset_intro).replace("%name%", &link.display_name)}</p>
                            <ActionForm action=reset>
                                <input type="hidden" name="token" value=token/>
                                <LabeledField label=td_string!(t, password_new) hint=td_string!(t, field_password_hint)>
                                    <input type="password" name="new_password" required minlength="8" maxlength="128" autocomplete="new-password" autofocus/>
                                </LabeledField>
                                <button type="submit">{td_string!(t, reset_submit)}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })
                }}
            </Suspense>
        </section>
    }
}

fn organisation_options(
    choices: Vec<OrganisationChoice>,
    selected: Option<i64>,
    none_label: &'static str,
) -> impl IntoView {
    view! {
        <option value="" selected=selected.is_none()>{none_label}</option>
        {choices
            .into_iter()
            .map(|o| view! { <option value=o.id.to_string() selected=selected == Some(o.id)>{o.name}</option> })
            .collect_view()}
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    if !registration_open() {
        return view! {
            <Title text=td_string!(t, register_title)/>
            <section class="card narrow">
                <h1>{td_string!(t, register_title)}</h1>
                <p role="status">{td_string!(t, errors_registration_closed)}</p>
                <p class="aside">{td_string!(t, register_have_account)} " " <a href="/login">{td_string!(t, nav_login)}</a></p>
            </section>
        }
        .into_any();
    }
    view! {
        <Title text=td_string!(t, register_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, register_title)}</h1>
            <RegisterForm invitation=None/>
            <p class="aside">{td_string!(t, register_have_account)} " " <a href="/login">{td_string!(t, nav_login)}</a></p>
        </section>
    }
    .into_any()
}

/// An invitation being followed into registration.
#[derive(Debug, Clone)]
pub struct RegisteringInvitation {
    pub token: String,
    /// The address a mailed invitation went to: the account's, unchangeable.
    pub email: Option<String>,
    pub name: Option<String>,
    /// The invitation's language, the new account's until they choose another.
    pub language: Language,
}

/// The sign-up form, on its own or for someone following an invitation.
#[component]
pub fn RegisterForm(invitation: Option<RegisteringInvitation>) -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let language = invitation
        .as_ref()
        .map_or(viewer.language, |invitation| invitation.language);
    let register = ServerAction::<Register>::new();
    let error = Signal::derive(move || register.value().get().and_then(Result::err));
    let organisations = Resource::new_blocking(|| (), |_| organisation_choices());
    let token = invitation
        .as_ref()
        .map(|invitation| invitation.token.clone());
    let fixed_email = invitation
        .as_ref()
        .and_then(|invitation| invitation.email.clone());
    let name = invitation
        .as_ref()
        .and_then(|invitation| invitation.name.clone())
        .unwrap_or_default();
    view! {
        <ErrorNotice error/>
        <ActionForm action=register>
            {token.map(|token| view! { <input type="hidden" name="invitation" value=token/> })}
            <LabeledField label=td_string!(t, field_display_name)>
                <input type="text" name="display_name" required maxlength="80" autocomplete="name" value=name/>
            </LabeledField>
            <LabeledField label=td_string!(t, field_email)>
                {match fixed_email {
                    Some(email) => view! { <input type="email" name="email" required readonly value=email/> }.into_any(),
                    None => view! { <input type="email" name="email" required autocomplete="email"/> }.into_any(),
                }}
            </LabeledField>
            <LabeledField label=td_string!(t, field_password) hint=td_string!(t, field_password_hint)>
                <input type="password" name="password" required minlength="8" maxlength="128" autocomplete="new-password"/>
            </LabeledField>
            <LabeledField label=td_string!(t, field_organisation)>
                <select name="organisation">
                    <Suspense>
                        {move || Suspend::new(async move {
                            let choices = organisations.await.unwrap_or_default();
                            organisation_options(choices, None, td_string!(t, field_no_organisation))
                        })}
                    </Suspense>
                </select>
            </LabeledField>
            <LabeledField label=td_string!(t, field_country)>
                <select name="country" required>{country_options(viewer.language, String::new())}</select>
            </LabeledField>
            <LabeledField label=td_string!(t, field_language)>
                <select name="language">{language_options(language)}</select>
            </LabeledField>
            <LabeledField label=td_string!(t, field_time_zone) hint=td_string!(t, field_time_zone_hint)>
                <crate::behaviours::BrowserTimeZone name="time_zone".to_owned() value="UTC".to_owned()/>
            </LabeledField>
            <p class="hint">{td_string!(t, register_privacy)} " " <a href="/privacy">{td_string!(t, privacy_title)}</a></p>
            <button type="submit">{td_string!(t, register_submit)}</button>
        </ActionForm>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let viewer = use_viewer();
    let (t, language) = (viewer.locale(), viewer.language);
    let save = ServerAction::<UpdateProfile>::new();
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let handle = ServerAction::<SetHandle>::new();
    let handle_error = Signal::derive(move || handle.value().get().and_then(Result::err));
    let password = ServerAction::<ChangePassword>::new();
    let password_error = Signal::derive(move || password.value().get().and_then(Result::err));
    let saved = use_query_map().with_untracked(|query| query.get("saved"));
    let (profile_saved, password_changed, handle_saved) = (
        saved.as_deref() == Some("profile"),
        saved.as_deref() == Some("password"),
        saved.as_deref() == Some("handle"),
    );
    let data = Resource::new_blocking(
        || (),
        |_| async { Ok::<_, AppError>((my_profile().await?, organisation_choices().await?)) },
    );
    view! {
        <Title text=td_string!(t, profile_title)/>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                    Ok((profile, organisations)) => { let address = profile.clone(); view! {
                        <section class="card narrow">
                            <h1>{td_string!(t, profile_title)}</h1>
                            <Notice show=profile_saved text=td_string!(t, profile_saved)/>
                            <ErrorNotice error=save_error/>
                            <p>{td_string!(t, profile_role)} ": " {crate::i18n::role_name(t, profile.role)}</p>
                            <ActionForm action=save>
                                <LabeledField label=td_string!(t, field_display_name)>
                                    <input type="text" name="display_name" required maxlength="80" value=profile.display_name.clone()/>
                                </LabeledField>
                                <LabeledField label=td_string!(t, field_organisation)>
                                    <select name="organisation">
                                        {organisation_options(organisations, profile.organisation_id, td_string!(t, field_no_organisation))}
                                    </select>
                                </LabeledField>
                                <LabeledField label=td_string!(t, field_country)>
                                    <select name="country">{country_options(language, profile.country.clone())}</select>
                                </LabeledField>
                                <LabeledField label=td_string!(t, field_language)>
                                    <select name="language">{language_options(profile.language)}</select>
                                </LabeledField>
                                <LabeledField label=td_string!(t, field_time_zone) hint=td_string!(t, field_time_zone_hint)>
                                    <input type="text" name="time_zone" required value=profile.time_zone.clone()/>
                                </LabeledField>
                                <button type="submit">{td_string!(t, profile_save)}</button>
                            </ActionForm>
                        </section>
                        <section class="card narrow">
                            <h2 id="handle">{td_string!(t, handle_title)}</h2>
                            <Notice show=handle_saved text=td_string!(t, handle_saved)/>
                            <ErrorNotice error=handle_error/>
                            <ActionForm action=handle>
                                <LabeledField label=td_string!(t, handle_label) hint=td_string!(t, handle_hint)>
                                    <input type="text" name="handle" required minlength="2" maxlength="31"
                                        autocomplete="off" spellcheck="false" value=profile.handle.clone()/>
                                </LabeledField>
                                <button type="submit">{td_string!(t, handle_save)}</button>
                            </ActionForm>
                        </section>
                        <AddressSection profile=address/>
                        <section class="card narrow">
                            <h2>{td_string!(t, password_title)}</h2>
                            <Notice show=password_changed text=td_string!(t, password_changed)/>
                            <ErrorNotice error=password_error/>
                            <ActionForm action=password>
                                <LabeledField label=td_string!(t, password_current)>
                                    <input type="password" name="current_password" required autocomplete="current-password"/>
                                </LabeledField>
                                <LabeledField label=td_string!(t, password_new) hint=td_string!(t, field_password_hint)>
                                    <input type="password" name="new_password" required minlength="8" maxlength="128" autocomplete="new-password"/>
                                </LabeledField>
                                <button type="submit">{td_string!(t, password_submit)}</button>
                            </ActionForm>
                        </section>
                        <crate::sessions::ReminderSetting/>
                        <crate::forum::DigestSetting/>
                        <crate::people::DirectorySetting/>
                        <section class="card narrow">
                            <h2>{td_string!(t, your_data_title)}</h2>
                            <p>{td_string!(t, your_data_profile_text)}</p>
                            <p><a href="/profile/data">{td_string!(t, your_data_open)}</a></p>
                        </section>
                    }.into_any() }
                }
            })}
        </Suspense>
    }
}
