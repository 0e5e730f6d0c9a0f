//! The demo program: an international cohort that shows Kring at its best.
//! Loaded into an empty database when `KRING_DEMO=1`.

use crate::{Db, DbError, NewSession, NewUser, Registrant};
use kring_domain::calendar::{parse_clock, parse_date, SeriesPlan, TransitionChoice};
use kring_domain::{
    session_capacity, CohortId, CohortPeriod, Country, DisplayName, Email, GroupName, Language,
    LanguageGroupId, NewPassword, OrganisationId, OrganisationName, Role, SessionKind,
    SessionMinutes, SessionTitle, TimeZone, UserId, VideoLink,
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

const ENGLISH_GROUP: usize = 0;
const SPANISH_GROUP: usize = 1;

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
        include_str!(concat!("../demo/", $file, ".md"))
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
        if role == Role::Participant {
            participants.push(user.id);
        }
    }
    load_calendar(db, cohort, &groups, &participants).await?;

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
    Ok(true)
}

/// Splits a demo file into its `# Title` line and the body after it.
fn titled(text: &str) -> (&str, &str) {
    let (first, body) = text.split_once('\n').unwrap_or((text, ""));
    (first.trim_start_matches('#').trim(), body.trim())
}

/// One planned demo series: (kind, group, zone, first date, clock, weeks apart, count, minutes, capacity, texts).
type DemoSeries = (
    SessionKind,
    Option<usize>,
    &'static str,
    &'static str,
    &'static str,
    u8,
    u16,
    &'static str,
    &'static str,
    &'static [(Language, &'static str, &'static str)],
);

/// Six months of sessions: a GMT-all-year English group and a London-time
/// Spanish group (so both kinds of series cross the daylight-saving changes),
/// two public information meetings and a consultation circle.
const CALENDAR: [DemoSeries; 5] = [
    (
        SessionKind::Live,
        Some(ENGLISH_GROUP),
        "Etc/GMT",
        "2026-10-01",
        "13:00",
        2,
        14,
        "120",
        "",
        &[
            (Language::En, "English group: live session", "We look back on the module's units together and share what we tried in our own work since the last session."),
            (Language::Es, "Grupo inglés: sesión en vivo", "Repasamos juntos las unidades del módulo y compartimos lo que probamos en nuestro trabajo desde la última sesión."),
            (Language::De, "Englische Gruppe: Live-Sitzung", "Wir blicken gemeinsam auf die Einheiten des Moduls zurück und teilen, was wir seit der letzten Sitzung ausprobiert haben."),
            (Language::Nl, "Engelse groep: live sessie", "We kijken samen terug op de eenheden van de module en delen wat we sinds de vorige sessie in ons eigen werk hebben geprobeerd."),
        ],
    ),
    (
        SessionKind::Live,
        Some(SPANISH_GROUP),
        "Europe/London",
        "2026-10-01",
        "14:00",
        2,
        14,
        "120",
        "",
        &[
            (Language::Es, "Grupo hispanohablante: sesión en vivo", "Conversamos sobre el módulo en curso y analizamos juntos un caso de la práctica de una de las organizaciones."),
            (Language::En, "Spanish group: live session", "We talk about the current module and analyse a case from one of the organisations' practice together."),
        ],
    ),
    (
        SessionKind::Information,
        None,
        "Etc/GMT",
        "2026-12-03",
        "13:00",
        1,
        1,
        "60",
        "40",
        &[
            (Language::En, "Information meeting: the Mutual Learning Program", "For organisations thinking of joining the next cohort: how the six months work, what participants say, and time for your questions."),
            (Language::Es, "Reunión informativa: el Programa de Aprendizaje Mutuo", "Para organizaciones que piensan unirse a la próxima cohorte: cómo funcionan los seis meses, qué dicen los participantes y tiempo para sus preguntas."),
            (Language::De, "Infotreffen: das Programm für gegenseitiges Lernen", "Für Organisationen, die an der nächsten Kohorte teilnehmen möchten: Ablauf der sechs Monate, Stimmen von Teilnehmenden und Zeit für Ihre Fragen."),
            (Language::Nl, "Informatiebijeenkomst: het programma voor wederzijds leren", "Voor organisaties die overwegen mee te doen met de volgende groep: hoe de zes maanden verlopen, wat deelnemers vertellen, en tijd voor uw vragen."),
        ],
    ),
    (
        SessionKind::Information,
        None,
        "America/Lima",
        "2027-02-04",
        "09:00",
        1,
        1,
        "60",
        "30",
        &[
            (Language::Es, "Reunión informativa en español", "Presentamos el programa a organizaciones de América Latina, con participantes de Perú que cuentan su experiencia."),
            (Language::En, "Information meeting in Spanish", "We present the program to organisations in Latin America, with participants from Peru sharing their experience."),
        ],
    ),
    (
        SessionKind::Circle,
        None,
        "Europe/Amsterdam",
        "2027-01-14",
        "16:00",
        1,
        1,
        "90",
        "10",
        &[
            (Language::En, "Consultation circle: returning home after care", "Amara brings a question about supporting a family when a child returns home after two years in residential care. At most ten people, in confidence."),
            (Language::Es, "Círculo de consulta: el regreso a casa después del cuidado", "Amara trae una pregunta sobre cómo acompañar a una familia cuando un niño vuelve a casa tras dos años en cuidado residencial. Como máximo diez personas, en confianza."),
        ],
    ),
];

async fn load_calendar(
    db: &Db,
    cohort: CohortId,
    groups: &[LanguageGroupId],
    participants: &[UserId],
) -> Result<(), DbError> {
    for (kind, group, zone, first, clock, every_weeks, count, minutes, capacity, texts) in CALENDAR
    {
        let host_zone = TimeZone::parse(zone)?;
        let plan = SeriesPlan {
            first_date: parse_date(first)?,
            clock: parse_clock(clock)?,
            host_zone: host_zone.clone(),
            every_weeks,
            count,
            choice: TransitionChoice::Ask,
        };
        let starts: Vec<i64> = plan
            .expand()
            .map_err(|(error, _)| error)?
            .iter()
            .map(|occurrence| occurrence.starts_at)
            .collect();
        let session = NewSession {
            kind,
            cohort_id: (!kind.is_public()).then_some(cohort),
            language_group_id: group.map(|index| groups[index]),
            host_zone,
            minutes: SessionMinutes::parse(minutes)?,
            video_link: VideoLink::parse(&format!(
                "https://meet.example.org/kring-{}",
                kind.code()
            ))?,
            capacity: session_capacity(capacity, kind)?,
            unit_id: None,
            texts: texts
                .iter()
                .map(|(language, title, description)| {
                    Ok((
                        *language,
                        SessionTitle::parse(title)?,
                        (*description).to_owned(),
                    ))
                })
                .collect::<Result<_, DbError>>()?,
            created_by: None,
        };
        let (_, ids) = db
            .create_series(&session, clock, i64::from(every_weeks), &starts)
            .await?;
        // The circle starts with most of its places taken, as circles do.
        if kind == SessionKind::Circle {
            for participant in participants.iter().take(6) {
                db.register(ids[0], &Registrant::Member(*participant))
                    .await?;
            }
        }
    }
    Ok(())
}

/// The demo accounts, for printing at start-up.
pub fn accounts() -> impl Iterator<Item = (&'static str, Role, &'static str)> {
    ACCOUNTS
        .iter()
        .map(|(email, _, role, _, _, _, zone, _)| (*email, *role, *zone))
}
