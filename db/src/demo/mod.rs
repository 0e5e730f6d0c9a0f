//! The demo program: an international cohort that shows Kring at its best.
//! Loaded into an empty database when `KRING_DEMO=1`: people and
//! organisations, the program's modules (here), its forum (`forum`) and six
//! months of sessions (`calendar`).

mod forum;
mod meetings;
mod scale;

use forum::{load_forum, spread_forum_over_past_days};
use meetings::load_meetings;
pub use scale::{load_scale, Scale, ScaleReport};

use crate::accounts::NewUser;
use crate::error::DbError;
use crate::pool::Db;
use kring_domain::{
    CohortPeriod, Country, DisplayName, Email, GroupName, Language, NewPassword, OrganisationId,
    OrganisationName, Role, TimeZone, UserId,
};

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "kring-demo-2026";

/// (e-mail, display name, role, organisation index, country, language, time zone, language group)
type DemoAccount = (
    &'static str,
    &'static str,
    Role,
    usize,
    &'static str,
    Language,
    &'static str,
    Option<usize>,
);

const ORGANISATIONS: [(&str, &str); 11] = [
    ("Kring Learning Consortium", "NL"),
    ("Hayk Family Support Network", "AM"),
    ("Sankofa Family Alliance", "GH"),
    ("Harambee Family Care Trust", "KE"),
    ("Red Familias Unidas", "PE"),
    ("Lanka Community Care Collective", "LK"),
    ("Aleppo Family Circles", "SY"),
    ("Samen Opgroeien Utrecht", "NL"),
    ("Familienbündnis Leipzig", "DE"),
    ("Mama na Mtoto Kisumu", "KE"),
    ("Casa Abierta Cusco", "PE"),
];

pub(super) const ENGLISH_GROUP: usize = 0;
pub(super) const SPANISH_GROUP: usize = 1;

const ACCOUNTS: [DemoAccount; 10] = [
    (
        "admin@demo.kring",
        "Maartje de Vries",
        Role::Admin,
        0,
        "NL",
        Language::En,
        "Europe/Amsterdam",
        None,
    ),
    (
        "facilitator@demo.kring",
        "Joseph Mensah",
        Role::Facilitator,
        0,
        "NL",
        Language::En,
        "Europe/Amsterdam",
        Some(ENGLISH_GROUP),
    ),
    (
        "amara@demo.kring",
        "Amara Owusu",
        Role::Participant,
        2,
        "GH",
        Language::En,
        "Africa/Accra",
        Some(ENGLISH_GROUP),
    ),
    (
        "lucia@demo.kring",
        "Lucía Quispe",
        Role::Participant,
        4,
        "PE",
        Language::Es,
        "America/Lima",
        Some(SPANISH_GROUP),
    ),
    (
        "anush@demo.kring",
        "Anush Petrosyan",
        Role::Participant,
        1,
        "AM",
        Language::En,
        "Asia/Yerevan",
        Some(ENGLISH_GROUP),
    ),
    (
        "priya@demo.kring",
        "Priya Fernando",
        Role::Participant,
        5,
        "LK",
        Language::En,
        "Asia/Colombo",
        Some(ENGLISH_GROUP),
    ),
    (
        "jana@demo.kring",
        "Jana Weber",
        Role::Participant,
        8,
        "DE",
        Language::De,
        "Europe/Berlin",
        Some(ENGLISH_GROUP),
    ),
    (
        "sanne@demo.kring",
        "Sanne Bakker",
        Role::Participant,
        7,
        "NL",
        Language::Nl,
        "Europe/Amsterdam",
        Some(ENGLISH_GROUP),
    ),
    (
        "wanjiru@demo.kring",
        "Wanjiru Kamau",
        Role::Participant,
        3,
        "KE",
        Language::En,
        "Africa/Nairobi",
        Some(ENGLISH_GROUP),
    ),
    (
        "rami@demo.kring",
        "Rami Haddad",
        Role::Participant,
        6,
        "SY",
        Language::En,
        "Asia/Damascus",
        Some(ENGLISH_GROUP),
    ),
];

/// A unit's texts in the order they are published: each file is `# Title`
/// and the Markdown body. English is the source; a translation records the
/// English revision current when it is loaded.
type UnitText = &'static [(Language, &'static str)];
/// A module's title and summary per language, and its units.
type ModuleText = (
    &'static [(Language, &'static str, &'static str)],
    &'static [UnitText],
);

macro_rules! demo_text {
    ($file:literal) => {
        include_str!(concat!("../../demo/", $file, ".md"))
    };
}

const MODULES: [ModuleText; 3] = [
    (
        &[
            (Language::En, "Working with families and communities", "How we meet families as partners: listening first, building on what already works, and letting the community carry the change."),
            (Language::Es, "Trabajar con familias y comunidades", "Cómo encontrarnos con las familias como aliadas: escuchar primero, construir sobre lo que ya funciona y dejar que la comunidad sostenga el cambio."),
            (Language::De, "Arbeit mit Familien und Gemeinschaften", "Wie wir Familien als Partner begegnen: zuerst zuhören, auf dem aufbauen, was schon trägt, und die Gemeinschaft den Wandel tragen lassen."),
            (Language::Nl, "Werken met gezinnen en gemeenschappen", "Hoe we gezinnen als partners ontmoeten: eerst luisteren, voortbouwen op wat al werkt en de gemeenschap de verandering laten dragen."),
        ],
        &[
            &[(Language::En, demo_text!("m1-u1.en")), (Language::Es, demo_text!("m1-u1.es")), (Language::De, demo_text!("m1-u1.de"))],
            // Spanish translates the first English version, then English changes: outdated.
            &[(Language::En, demo_text!("m1-u2.en.v1")), (Language::Es, demo_text!("m1-u2.es")), (Language::En, demo_text!("m1-u2.en"))],
            &[(Language::En, demo_text!("m1-u3.en")), (Language::Es, demo_text!("m1-u3.es")), (Language::Nl, demo_text!("m1-u3.nl"))],
        ],
    ),
    (
        &[
            (Language::En, "Gatekeeping and prevention", "Keeping children safely in families: the decisions before a placement, and the support that makes a placement unnecessary."),
            (Language::Es, "Control de acceso y prevención", "Mantener a los niños de forma segura en sus familias: las decisiones antes de una separación y el apoyo que la hace innecesaria."),
        ],
        &[
            &[(Language::En, demo_text!("m2-u1.en")), (Language::Nl, demo_text!("m2-u1.nl"))],
            &[(Language::En, demo_text!("m2-u2.en"))],
            &[(Language::En, demo_text!("m2-u3.en"))],
        ],
    ),
    (
        &[
            (Language::En, "Transforming together and advocating for children's rights", "From practice to policy: how local learning becomes a voice for change, with children and families at the table."),
            (Language::De, "Gemeinsam verändern und für Kinderrechte eintreten", "Von der Praxis zur Politik: wie lokales Lernen zu einer Stimme für Veränderung wird, mit Kindern und Familien am Tisch."),
        ],
        &[
            &[(Language::En, demo_text!("m3-u1.en")), (Language::De, demo_text!("m3-u1.de"))],
            &[(Language::En, demo_text!("m3-u2.en"))],
        ],
    ),
];

/// Loads the demo program unless the database already holds accounts.
/// Returns whether anything was loaded.
pub async fn load_if_empty(db: &Db) -> Result<bool, DbError> {
    if db.user_count().await? > 0 {
        return Ok(false);
    }
    let mut organisations: Vec<OrganisationId> = Vec::new();
    for (name, country) in ORGANISATIONS {
        organisations.push(
            db.create_organisation(&OrganisationName::parse(name)?, Country::parse(country)?)
                .await?,
        );
    }

    let program = db
        .create_program(
            &GroupName::parse("Mutual Learning Program")?,
            "Six months of learning from each other: practitioners of NGOs and family alliances in eight countries.",
        )
        .await?;
    let (cohort, groups) = db
        .create_cohort(
            program,
            &GroupName::parse("Mutual Learning Program 2026-27")?,
            &CohortPeriod::parse("2026-10-01", "2027-03-31")?,
            &[
                ("English group".to_owned(), Language::En),
                ("Spanish group".to_owned(), Language::Es),
            ],
        )
        .await?;

    let mut participants = Vec::new();
    let mut people: Vec<(&str, UserId)> = Vec::new();
    for (email, name, role, organisation, country, language, zone, group) in ACCOUNTS {
        let user = db
            .create_user(NewUser {
                email: Email::parse(email)?,
                display_name: DisplayName::parse(name)?,
                password: NewPassword::parse(DEMO_PASSWORD)?,
                role,
                organisation_id: Some(organisations[organisation]),
                country: Country::parse(country)?,
                language,
                time_zone: TimeZone::parse(zone)?,
            })
            .await?;
        if let Some(group) = group {
            db.add_cohort_member(cohort, user.id, Some(groups[group]))
                .await?;
        }
        // The demo's addresses count as verified: its reminders and digests are printed.
        db.mark_email_verified(user.id).await?;
        match role {
            Role::Participant => participants.push(user.id),
            Role::Facilitator => db.assign_facilitator(cohort, user.id, None).await?,
            Role::Admin => {}
        }
        people.push((email.split('@').next().unwrap_or_default(), user.id));
    }
    load_meetings(db, cohort, &groups, &participants).await?;

    for (position, (module_texts, units)) in MODULES.iter().enumerate() {
        let module = db
            .create_module(program, position as i64 + 1, Language::En)
            .await?;
        for (language, title, summary) in *module_texts {
            db.translate_module(module, *language, title, summary)
                .await?;
        }
        for (unit_position, unit_texts) in units.iter().enumerate() {
            let unit = db.create_unit(module, unit_position as i64 + 1).await?;
            for (language, text) in *unit_texts {
                let (title, body) = titled(text);
                db.translate_unit(unit, *language, title, body).await?;
            }
        }
    }
    load_forum(db, cohort, &people).await?;
    spread_forum_over_past_days(db).await?;
    Ok(true)
}

/// Splits a demo file into its `# Title` line and the body after it.
fn titled(text: &str) -> (&str, &str) {
    let (first, body) = text.split_once('\n').unwrap_or((text, ""));
    (first.trim_start_matches('#').trim(), body.trim())
}

/// The demo accounts, for printing at start-up.
pub fn accounts() -> impl Iterator<Item = (&'static str, Role, &'static str)> {
    ACCOUNTS
        .iter()
        .map(|(email, _, role, _, _, _, zone, _)| (*email, *role, *zone))
}

/// A fresh link into the demo cohort's Spanish group, valid for 30 days, created by its
/// facilitator: printed at start-up so that someone trying Kring can follow one.
pub async fn open_invitation(db: &Db) -> Result<String, DbError> {
    let cohort = db
        .cohorts(None)
        .await?
        .into_iter()
        .find(|cohort| cohort.name == "Mutual Learning Program 2026-27")
        .ok_or(DbError::NotFound)?;
    let (group, _, language) = cohort
        .language_groups
        .iter()
        .find(|(_, _, language)| *language == Language::Es)
        .cloned()
        .ok_or(DbError::NotFound)?;
    let facilitator = db.user_by_email(&Email::parse(ACCOUNTS[1].0)?).await?;
    let new = crate::NewInvitation {
        cohort: cohort.id,
        group: Some(group),
        role: Role::Participant,
        language,
        expires_at: crate::now() + 30 * 86_400,
        created_by: facilitator.id,
    };
    Ok(db.create_invitation_link(&new, None).await?.1)
}
