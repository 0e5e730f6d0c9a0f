//! The demo program: an international cohort that shows Kring at its best.
//! Loaded into an empty database when `KRING_DEMO=1`.

use crate::{Db, DbError, NewUser};
use kring_domain::{
    CohortPeriod, Country, DisplayName, Email, GroupName, Language, NewPassword, OrganisationId,
    OrganisationName, Role, TimeZone,
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

/// A unit's title and body per language; English is the source.
type UnitText = &'static [(Language, &'static str, &'static str)];
/// A module's title and summary per language, and its units.
type ModuleText = (
    &'static [(Language, &'static str, &'static str)],
    &'static [UnitText],
);

const MODULES: [ModuleText; 3] = [
    (
        &[
            (Language::En, "Working with families and communities", "How we meet families as partners: listening first, building on what already works, and letting the community carry the change."),
            (Language::Es, "Trabajar con familias y comunidades", "Cómo encontrarnos con las familias como aliadas: escuchar primero, construir sobre lo que ya funciona y dejar que la comunidad sostenga el cambio."),
            (Language::De, "Arbeit mit Familien und Gemeinschaften", "Wie wir Familien als Partner begegnen: zuerst zuhören, auf dem aufbauen, was schon trägt, und die Gemeinschaft den Wandel tragen lassen."),
            (Language::Nl, "Werken met gezinnen en gemeenschappen", "Hoe we gezinnen als partners ontmoeten: eerst luisteren, voortbouwen op wat al werkt en de gemeenschap de verandering laten dragen."),
        ],
        &[
            &[
                (Language::En, "Everyone is the expert of their own life", "A family knows its own history, its strengths and the pressures it lives under better than any professional. Our first task is not to assess but to understand. In this unit we practise open questions that invite a family to tell its story in its own words, and we look at how the words we use in files and meetings can either open that space or close it.\n\nReflection: think of a family you work with. What do they know about their situation that you only learned late?"),
                (Language::Es, "Cada persona es experta en su propia vida", "Una familia conoce su historia, sus fortalezas y las presiones que vive mejor que cualquier profesional. Nuestra primera tarea no es evaluar sino comprender. En esta unidad practicamos preguntas abiertas que invitan a la familia a contar su historia con sus propias palabras, y miramos cómo las palabras que usamos en expedientes y reuniones pueden abrir ese espacio o cerrarlo.\n\nReflexión: piense en una familia con la que trabaja. ¿Qué sabe ella de su situación que usted supo tarde?"),
                (Language::De, "Jeder Mensch ist Expertin oder Experte des eigenen Lebens", "Eine Familie kennt ihre Geschichte, ihre Stärken und ihre Belastungen besser als jede Fachkraft. Unsere erste Aufgabe ist nicht zu beurteilen, sondern zu verstehen."),
            ],
            &[
                (Language::En, "Relationship first", "Trust is built in small, reliable steps: coming back when you said you would, explaining what happens with what a family tells you, and admitting what you do not know. We look at three practices from the cohort's own organisations that put the relationship before the procedure."),
                (Language::Es, "Primero la relación", "La confianza se construye con pasos pequeños y fiables: volver cuando dijo que volvería, explicar qué pasa con lo que la familia le cuenta y reconocer lo que no sabe."),
            ],
            &[
                (Language::En, "Mapping the circle around a child", "Who is around this child? Grandparents, neighbours, teachers, a faith community, a football coach. Drawing the circle together with the family often shows support that no file mentions. This unit introduces a simple eco-map that families draw themselves."),
                (Language::Es, "El círculo alrededor de un niño", "¿Quién rodea a este niño? Abuelos, vecinos, docentes, una comunidad de fe, un entrenador. Dibujar el círculo junto con la familia muestra apoyos que ningún expediente menciona."),
                (Language::Nl, "De kring rond een kind", "Wie staan er om dit kind heen? Grootouders, buren, leerkrachten, een geloofsgemeenschap, een voetbaltrainer. Samen met het gezin de kring tekenen laat vaak steun zien die in geen dossier staat."),
            ],
        ],
    ),
    (
        &[
            (Language::En, "Gatekeeping and prevention", "Keeping children safely in families: the decisions before a placement, and the support that makes a placement unnecessary."),
            (Language::Es, "Control de acceso y prevención", "Mantener a los niños de forma segura en sus familias: las decisiones antes de una separación y el apoyo que la hace innecesaria."),
        ],
        &[
            &[(Language::En, "What gatekeeping means", "Gatekeeping is the set of decisions that determine whether a child enters alternative care. Good gatekeeping asks, every time: has every option to keep this child safely at home been explored, with the family and its circle?")],
            &[(Language::En, "Early help that families ask for", "Prevention works best when families can ask for help without fear of losing their children. We compare how cash support, parenting groups and respite care are offered in Ghana, Peru and the Netherlands.")],
            &[(Language::En, "Reading a case together", "A structured way to bring a case to the group: the context, the question you have, what has been tried. The group answers with questions first, then perspectives, then suggestions.")],
        ],
    ),
    (
        &[
            (Language::En, "Transforming together and advocating for children's rights", "From practice to policy: how local learning becomes a voice for change, with children and families at the table."),
            (Language::De, "Gemeinsam verändern und für Kinderrechte eintreten", "Von der Praxis zur Politik: wie lokales Lernen zu einer Stimme für Veränderung wird, mit Kindern und Familien am Tisch."),
        ],
        &[
            &[(Language::En, "Making the unseen seen", "Whose experience is missing from the reports? This unit looks at ways to bring the voices of children and parents into the documents that shape decisions, with their consent and on their terms.")],
            &[(Language::En, "Building an alliance", "No organisation changes a care system alone. We map the allies around each cohort member's work: ministries, local councils, faith leaders, universities, other NGOs.")],
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
    }

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
            for (language, title, body) in *unit_texts {
                db.translate_unit(unit, *language, title, body).await?;
            }
        }
    }
    Ok(true)
}

/// The demo accounts, for printing at start-up.
pub fn accounts() -> impl Iterator<Item = (&'static str, Role, &'static str)> {
    ACCOUNTS
        .iter()
        .map(|(email, _, role, _, _, _, zone, _)| (*email, *role, *zone))
}
