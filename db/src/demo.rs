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
        if role == Role::Participant {
            participants.push(user.id);
        }
        people.push((email.split('@').next().unwrap_or_default(), user.id));
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
    load_forum(db, cohort, &people).await?;
    spread_forum_over_past_days(db).await?;
    Ok(true)
}

/// The demo's posts were all written just now; a forum reads truer (and the
/// posting rate limit holds) when they spread over the last two days, an hour
/// and a half apart, in the order written.
async fn spread_forum_over_past_days(db: &Db) -> Result<(), DbError> {
    const APART: i64 = 5400;
    let newest = crate::now() - 600;
    sqlx::query(
        "UPDATE forum_posts SET created_at = $1 - ((SELECT MAX(id) FROM forum_posts) - id) * $2",
    )
    .bind(newest)
    .bind(APART)
    .execute(&db.pool)
    .await?;
    sqlx::query(
        "UPDATE forum_threads SET \
         created_at = (SELECT MIN(p.created_at) FROM forum_posts p WHERE p.thread_id = forum_threads.id), \
         last_activity_at = (SELECT MAX(p.created_at) FROM forum_posts p WHERE p.thread_id = forum_threads.id)",
    )
    .execute(&db.pool)
    .await?;
    sqlx::query(
        "UPDATE notifications SET created_at = (SELECT p.created_at FROM forum_posts p WHERE p.id = notifications.post_id)",
    )
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Where a demo thread goes.
#[derive(Clone, Copy)]
enum DemoCategory {
    Module(usize),
    Cases,
    General,
    Circle,
}

/// (category, author, title, first post, replies as (author, tag, text)).
type DemoThread = (
    DemoCategory,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

const CASE_TEMPLATE: &str = "## Context\n\n{context}\n\n## The question for the group\n\n{question}\n\n## What has been tried\n\n{tried}";

const THREADS: [DemoThread; 8] = [
    (
        DemoCategory::Module(0),
        "anush",
        "How do you start a first conversation with a family?",
        "In Yerevan we often meet families for the first time at the hospital. The unit says every person is the expert of their own life: how do you make that real in the very first conversation?",
        &[
            ("wanjiru", "", "I start by asking what went well this week, however small. It tells the family I came to listen, not to judge."),
            ("facilitator", "", "Both good openings. @anush, could you bring this to the next live session? Many groups struggle with the first meeting."),
            ("lucia", "", "En Cusco empezamos con un mapa de la familia que dibujan ellos mismos. Funciona muy bien con los abuelos."),
        ],
    ),
    (
        DemoCategory::Module(0),
        "sanne",
        "Reading tip: the family group conference",
        "For those who read Dutch or German: our alliance wrote a short guide on family group conferences. I am happy to translate the checklist if people are interested.",
        &[("jana", "", "Yes please! We are starting conferences in Leipzig next spring.")],
    ),
    (
        DemoCategory::Module(1),
        "priya",
        "Working with grandparents as carers",
        "In Colombo many children live with their grandparents while parents work abroad. Unit 2 focuses on parents. How do others adapt the approach when grandparents are the daily carers?",
        &[
            ("rami", "", "Same in our work in Aleppo. We invite the grandparents and, by video, the parents abroad to the same meeting."),
            ("amara", "", "We do that too. It helps to agree in advance who decides about school and health."),
        ],
    ),
    (
        DemoCategory::Module(2),
        "jana",
        "Our first steps with a parent network",
        "We started a parent network in two neighbourhoods. Six parents meet every fortnight without professionals. What helped others keep such a group going after the first months?",
        &[("sanne", "", "Give the group its own small budget. Deciding together about money made our network feel really theirs.")],
    ),
    (
        DemoCategory::Cases,
        "amara",
        "A mother who stops coming to meetings",
        "",
        &[
            ("lucia", "question", "Do you know whether she has someone to look after the younger children during the meetings?"),
            ("wanjiru", "perspective", "In our experience a parent who stops coming often feels judged by the group, even when nobody intends it."),
            ("rami", "suggestion", "Could one other mother from the group visit her at home, without a professional?"),
            ("anush", "suggestion", "Ask her what time and place would work for her; maybe the meeting moves, not the mother."),
        ],
    ),
    (
        DemoCategory::Cases,
        "rami",
        "Siblings placed in different foster families",
        "",
        &[
            ("priya", "question", "How often can the siblings see each other now, and who arranges it?"),
            ("jana", "perspective", "From the children's side, seeing each other regularly often matters more than where they live."),
            ("amara", "suggestion", "A shared weekend activity, the same every month, gives them something to look forward to."),
        ],
    ),
    (
        DemoCategory::General,
        "facilitator",
        "Welcome: introduce yourself!",
        "Welcome to the forum of the Mutual Learning Program. Tell the group who you are, where you work and one thing you hope to learn in these six months.",
        &[
            ("amara", "", "I am Amara from Accra. I work with families after reunification and hope to learn how others keep contact with families over time."),
            ("lucia", "", "Soy Lucía, de Cusco. Trabajo con familias extensas y quiero aprender de las experiencias con redes de padres."),
            ("jana", "", "Jana from Leipzig: child-centre practitioner, curious about family group conferences."),
        ],
    ),
    (
        DemoCategory::Circle,
        "amara",
        "Preparing the first weekend at home",
        "Thank you for joining this circle. The girl I work with goes home for a first weekend next month. What would you prepare with the family beforehand?",
        &[
            ("lucia", "", "A simple plan for the weekend that the girl helps to write, so she knows what will happen each day."),
            ("wanjiru", "", "Agree on who the family can call on Saturday night if things get difficult."),
        ],
    ),
];

/// The two demo cases: (context, question, what has been tried).
const CASES: [(&str, &str, &str); 2] = [
    (
        "A mother of three attended our parent group every week for four months. Since the summer she has not come, and she does not answer messages.",
        "How can we reach out to her without making her feel pressured?",
        "We sent two friendly messages and asked the school social worker whether the children are doing well (they are).",
    ),
    (
        "Three siblings (aged 6, 9 and 12) were placed in two different foster families last year. The eldest asks every week when they will live together again.",
        "How can we support the siblings' bond while they live apart?",
        "Monthly visits at our office, which the children find formal and short.",
    ),
];

/// A lively forum for the demo cohort: threads in every module category, two
/// cases with tagged replies, a welcome thread, and a consultation circle with members.
async fn load_forum(db: &Db, cohort: CohortId, people: &[(&str, UserId)]) -> Result<(), DbError> {
    use crate::NewReply;
    use kring_domain::forum::{PostBody, ReplyTag, ThreadTitle};
    let person = |handle: &str| {
        people
            .iter()
            .find(|(known, _)| *known == handle)
            .map(|(_, id)| *id)
            .ok_or(DbError::NotFound)
    };
    db.create_forum(cohort).await?;
    let categories = db.categories(cohort).await?;
    let category_of = |kind: crate::CategoryKind| {
        categories
            .iter()
            .find(|category| category.kind == kind)
            .map(|category| category.id)
            .ok_or(DbError::NotFound)
    };
    let circle_question = ThreadTitle::parse("Returning home after two years in residential care")?;
    let (circle, circle_category) = db
        .open_circle(cohort, &circle_question, 8, person("facilitator")?)
        .await?;
    for member in ["amara", "lucia", "wanjiru", "rami", "anush"] {
        db.join_circle(circle, person(member)?).await?;
    }
    let mut cases = CASES.iter();
    for (category, author, title, body, replies) in THREADS {
        let (category, body, is_case) = match category {
            DemoCategory::Module(index) => (categories[index].id, body.to_owned(), false),
            DemoCategory::Cases => {
                let (context, question, tried) = cases.next().ok_or(DbError::NotFound)?;
                let case = CASE_TEMPLATE
                    .replace("{context}", context)
                    .replace("{question}", question)
                    .replace("{tried}", tried);
                (category_of(crate::CategoryKind::Cases)?, case, true)
            }
            DemoCategory::General => (
                category_of(crate::CategoryKind::General)?,
                body.to_owned(),
                false,
            ),
            DemoCategory::Circle => (circle_category, body.to_owned(), false),
        };
        let (thread, _) = db
            .start_thread(
                category,
                person(author)?,
                &ThreadTitle::parse(title)?,
                &PostBody::parse(&body)?,
                is_case,
            )
            .await?;
        for (author, tag, text) in replies {
            db.reply(&NewReply {
                thread,
                author: person(author)?,
                body: &PostBody::parse(text)?,
                tag: ReplyTag::parse_optional(tag)?,
                quote_of: None,
            })
            .await?;
        }
    }
    Ok(())
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
