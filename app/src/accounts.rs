//! Registering, logging in and out, the profile and the password.
//! Every form is a plain HTML form first: it works before (or without) the WebAssembly.

use crate::components::{ErrorNotice, LabeledField, Notice};
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::{Country, Language};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

/// An organisation to choose from in the account forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationChoice {
    pub id: i64,
    pub name: String,
}

/// The current profile, to pre-fill the profile form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    /// How others @mention them.
    pub handle: String,
    pub role: kring_domain::Role,
    pub organisation_id: Option<i64>,
    pub country: String,
    pub language: Language,
    pub time_zone: String,
}

#[server(endpoint = "organisations")]
pub async fn organisation_choices() -> Result<Vec<OrganisationChoice>, AppError> {
    let context = request_context();
    let organisations = db()
        .organisations()
        .await
        .map_err(|e| context.internal(e))?;
    Ok(organisations
        .into_iter()
        .map(|o| OrganisationChoice {
            id: o.id.0,
            name: o.name,
        })
        .collect())
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String) -> Result<(), AppError> {
    use kring_db::{LoginAttempt, LoginOutcome};
    let context = request_context();
    let db = db();
    let attempt = LoginAttempt {
        email: &email,
        password: &password,
        address: &context.client_address,
        device: context.device_token.as_deref(),
    };
    match db.log_in(attempt).await.map_err(|e| context.db_error(e))? {
        LoginOutcome::LoggedIn { token, device, .. } => {
            // A session token is never carried across a login.
            if let Some(previous) = &context.session_token {
                db.end_session(previous)
                    .await
                    .map_err(|e| context.internal(e))?;
            }
            context.set_session_cookie(&token);
            context.set_device_cookie(&device);
            crate::navigation::redirect("/");
            Ok(())
        }
        LoginOutcome::WrongCredentials => Err(context.error(ErrorCode::WrongCredentials)),
        LoginOutcome::Throttled {
            retry_after_minutes,
        } => Err(context.error(ErrorCode::Throttled {
            minutes: retry_after_minutes,
        })),
    }
}

/// Ends the session, and asks the browser to forget what Kring stored in it
/// (editor copies, drafts): the next person at a shared computer finds none.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let context = request_context();
    if let Some(token) = &context.session_token {
        db().end_session(token)
            .await
            .map_err(|e| context.internal(e))?;
    }
    context.clear_session_cookie();
    context.clear_browser_storage();
    crate::navigation::redirect("/");
    Ok(())
}

/// The fields of the register and profile forms, parsed into domain values.
#[cfg(feature = "ssr")]
struct PersonFields {
    display_name: kring_domain::DisplayName,
    organisation_id: Option<kring_domain::OrganisationId>,
    country: Country,
    language: Language,
    time_zone: kring_domain::TimeZone,
}

#[cfg(feature = "ssr")]
async fn person_fields(
    display_name: &str,
    organisation: &str,
    country: &str,
    language: &str,
    time_zone: &str,
) -> Result<PersonFields, AppError> {
    use kring_domain::{DisplayName, OrganisationId, TimeZone};
    let context = request_context();
    let invalid = |error| context.error(ErrorCode::Invalid(error));
    let organisation_id = match organisation.trim() {
        "" => None,
        id => {
            let id = OrganisationId(
                id.parse()
                    .map_err(|_| context.error(ErrorCode::OrganisationUnknown))?,
            );
            if !db()
                .organisation_exists(id)
                .await
                .map_err(|e| context.internal(e))?
            {
                return Err(context.error(ErrorCode::OrganisationUnknown));
            }
            Some(id)
        }
    };
    Ok(PersonFields {
        display_name: DisplayName::parse(display_name).map_err(invalid)?,
        organisation_id,
        country: Country::parse(country).map_err(invalid)?,
        language: Language::parse(language).map_err(invalid)?,
        time_zone: TimeZone::parse(time_zone).map_err(invalid)?,
    })
}

#[server(endpoint = "register")]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    organisation: String,
    country: String,
    language: String,
    time_zone: String,
) -> Result<(), AppError> {
    use kring_domain::{AttemptLimit, Email, Role, ThrottleVerdict};
    let context = request_context();
    let invalid = |error| context.error(ErrorCode::Invalid(error));
    let email = Email::parse(&email).map_err(invalid)?;
    let person = person_fields(
        &display_name,
        &organisation,
        &country,
        &language,
        &time_zone,
    )
    .await?;
    let db = db();
    // Counted, and the address checked, before the costly password checks.
    if let ThrottleVerdict::Blocked {
        retry_after_minutes,
    } = db
        .count_attempt(
            kring_db::Bucket::SignUps(&context.client_address),
            AttemptLimit::SIGN_UPS_PER_ADDRESS,
        )
        .await
        .map_err(|e| context.internal(e))?
    {
        return Err(context.error(ErrorCode::TooManyRequests {
            minutes: retry_after_minutes,
        }));
    }
    if db
        .email_taken(&email)
        .await
        .map_err(|e| context.internal(e))?
    {
        return Err(context.error(ErrorCode::EmailTaken));
    }
    let password = new_password(password, [person.display_name.as_str(), email.as_str()])
        .await
        .map_err(invalid)?;
    let user = db
        .create_user(kring_db::NewUser {
            email,
            display_name: person.display_name,
            password,
            role: Role::Participant,
            organisation_id: person.organisation_id,
            country: person.country,
            language: person.language,
            time_zone: person.time_zone,
        })
        .await
        .map_err(|error| match error {
            kring_db::DbError::EmailTaken => context.error(ErrorCode::EmailTaken),
            other => context.db_error(other),
        })?;
    let token = db
        .start_session(user.id)
        .await
        .map_err(|e| context.internal(e))?;
    let device = db
        .trust_device(user.id)
        .await
        .map_err(|e| context.internal(e))?;
    context.set_session_cookie(&token);
    context.set_device_cookie(&device);
    crate::navigation::redirect("/");
    Ok(())
}

/// Checks a new password (estimating how soon it is guessed takes a moment
/// of CPU, so off the request's worker thread).
#[cfg(feature = "ssr")]
async fn new_password(
    password: String,
    own_words: [&str; 2],
) -> Result<kring_domain::NewPassword, kring_domain::DomainError> {
    let own_words = own_words.map(str::to_owned);
    tokio::task::spawn_blocking(move || {
        kring_domain::NewPassword::parse_for(&password, &[&own_words[0], &own_words[1]])
    })
    .await
    .unwrap_or(Err(kring_domain::DomainError::PasswordTooCommon))
}

#[server(endpoint = "profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let record = db().user(user.id).await.map_err(|e| context.internal(e))?;
    Ok(Profile {
        display_name: record.display_name.as_str().to_owned(),
        email: record.email.as_str().to_owned(),
        handle: record.handle.clone(),
        role: record.role,
        organisation_id: record.organisation_id.map(|id| id.0),
        country: record.country.code().to_owned(),
        language: record.language,
        time_zone: record.time_zone.as_str().to_owned(),
    })
}

#[server(endpoint = "update-profile")]
pub async fn update_profile(
    display_name: String,
    organisation: String,
    country: String,
    language: String,
    time_zone: String,
) -> Result<(), AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let person = person_fields(
        &display_name,
        &organisation,
        &country,
        &language,
        &time_zone,
    )
    .await?;
    let update = kring_db::ProfileUpdate {
        display_name: person.display_name,
        organisation_id: person.organisation_id,
        country: person.country,
        language: person.language,
        time_zone: person.time_zone,
    };
    db().update_profile(user.id, &update)
        .await
        .map_err(|e| context.internal(e))?;
    crate::navigation::redirect("/profile?saved=profile");
    Ok(())
}

#[server(endpoint = "change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use kring_db::PasswordChange;
    let context = request_context();
    let user = context.require_user()?;
    let db = db();
    let record = db.user(user.id).await.map_err(|e| context.internal(e))?;
    let new = self::new_password(
        new_password,
        [record.display_name.as_str(), record.email.as_str()],
    )
    .await
    .map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    let token = context.session_token.clone().unwrap_or_default();
    match db
        .change_password(user.id, &current_password, &new, &token)
        .await
        .map_err(|e| context.db_error(e))?
    {
        PasswordChange::Changed => {
            crate::navigation::redirect("/profile?saved=password");
            Ok(())
        }
        PasswordChange::WrongPassword => Err(context.error(ErrorCode::WrongCredentials)),
        PasswordChange::Throttled {
            retry_after_minutes,
        } => Err(context.error(ErrorCode::Throttled {
            minutes: retry_after_minutes,
        })),
    }
}

/// The language switcher: remembered in a cookie, and in the profile of a signed-in user.
#[server(endpoint = "language")]
pub async fn set_language(language: String) -> Result<(), AppError> {
    let context = request_context();
    let language = Language::parse(&language).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    context.set_language_cookie(language);
    if let Some(user) = &context.viewer.user {
        db().set_language(user.id, language)
            .await
            .map_err(|e| context.internal(e))?;
    }
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_viewer().locale();
    let login = ServerAction::<Login>::new();
    let error = Signal::derive(move || login.value().get().and_then(Result::err));
    view! {
        <Title text=td_string!(t, login_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, login_title)}</h1>
            <ErrorNotice error/>
            <ActionForm action=login>
                <LabeledField label=td_string!(t, field_email)>
                    <input type="email" name="email" required autocomplete="email" autofocus/>
                </LabeledField>
                <LabeledField label=td_string!(t, field_password)>
                    <input type="password" name="password" required autocomplete="current-password"/>
                </LabeledField>
                <button type="submit">{td_string!(t, login_submit)}</button>
            </ActionForm>
            <p class="aside">{td_string!(t, login_no_account)} " " <a href="/register">{td_string!(t, nav_register)}</a></p>
        </section>
    }
}

/// Options for the country select, named in the viewer's language and sorted by that name.
pub(crate) fn country_options(language: Language, selected: String) -> impl IntoView {
    let mut countries: Vec<(&str, &str)> = Country::all()
        .map(|country| (country.code(), country.name(language)))
        .collect();
    countries.sort_by(|a, b| a.1.cmp(b.1));
    countries
        .into_iter()
        .map(|(code, name)| view! { <option value=code selected=selected == code>{name}</option> })
        .collect_view()
}

fn language_options(selected: Language) -> impl IntoView {
    Language::ALL
        .into_iter()
        .map(|l| view! { <option value=l.code() selected=l == selected>{l.native_name()}</option> })
        .collect_view()
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
    let (t, language) = (viewer.locale(), viewer.language);
    let register = ServerAction::<Register>::new();
    let error = Signal::derive(move || register.value().get().and_then(Result::err));
    let organisations = Resource::new_blocking(|| (), |_| organisation_choices());
    view! {
        <Title text=td_string!(t, register_title)/>
        <section class="card narrow">
            <h1>{td_string!(t, register_title)}</h1>
            <ErrorNotice error/>
            <ActionForm action=register>
                <LabeledField label=td_string!(t, field_display_name)>
                    <input type="text" name="display_name" required maxlength="80" autocomplete="name"/>
                </LabeledField>
                <LabeledField label=td_string!(t, field_email)>
                    <input type="email" name="email" required autocomplete="email"/>
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
                    <select name="country" required>{country_options(language, String::new())}</select>
                </LabeledField>
                <LabeledField label=td_string!(t, field_language)>
                    <select name="language">{language_options(language)}</select>
                </LabeledField>
                <LabeledField label=td_string!(t, field_time_zone) hint=td_string!(t, field_time_zone_hint)>
                    <crate::islands::BrowserTimeZone name="time_zone".to_owned() value="UTC".to_owned()/>
                </LabeledField>
                <button type="submit">{td_string!(t, register_submit)}</button>
            </ActionForm>
            <p class="aside">{td_string!(t, register_have_account)} " " <a href="/login">{td_string!(t, nav_login)}</a></p>
        </section>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let viewer = use_viewer();
    let (t, language) = (viewer.locale(), viewer.language);
    let save = ServerAction::<UpdateProfile>::new();
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let password = ServerAction::<ChangePassword>::new();
    let password_error = Signal::derive(move || password.value().get().and_then(Result::err));
    let saved = use_query_map().with_untracked(|query| query.get("saved"));
    let (profile_saved, password_changed) = (
        saved.as_deref() == Some("profile"),
        saved.as_deref() == Some("password"),
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
                    Ok((profile, organisations)) => view! {
                        <section class="card narrow">
                            <h1>{td_string!(t, profile_title)}</h1>
                            <Notice show=profile_saved text=td_string!(t, profile_saved)/>
                            <ErrorNotice error=save_error/>
                            <p>{profile.email.clone()} " · " {td_string!(t, profile_role)} ": " {crate::components::role_name(t, profile.role)}</p>
                            <p class="hint">{td_string!(t, profile_handle).replace("%handle%", &format!("@{}", profile.handle))}</p>
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
                        <crate::forum::DigestSetting/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
