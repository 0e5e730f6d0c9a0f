//! Six months of demo sessions for both language groups, public information
//! meetings and a consultation circle.

use super::{ENGLISH_GROUP, SPANISH_GROUP};
use crate::error::DbError;
use crate::meetings::NewMeeting;
use crate::pool::Db;
use crate::registrations::Registrant;
use kring_domain::series::{parse_clock, parse_date, SeriesPlan, TransitionChoice};
use kring_domain::{
    session_capacity, CohortId, Language, LanguageGroupId, SessionKind, SessionMinutes,
    SessionTitle, TimeZone, UserId, VideoLink,
};

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

pub(super) async fn load_meetings(
    db: &Db,
    cohort: CohortId,
    groups: &[LanguageGroupId],
    participants: &[UserId],
) -> Result<(), DbError> {
    for (kind, group, zone, first, clock, every_weeks, count, minutes, capacity, texts) in CALENDAR
    {
        let host_zone = TimeZone::parse(zone)?;
        let first_date = parse_date(first)?;
        let plan = SeriesPlan {
            // Visitors always find information meetings ahead of them.
            first_date: if kind.is_public() {
                still_ahead(first_date)?
            } else {
                first_date
            },
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
        let session = NewMeeting {
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

/// `date`, or the same weekday as many weeks later as it takes to be at
/// least a week away: the demo's public meetings never lie in the past.
fn still_ahead(mut date: jiff::civil::Date) -> Result<jiff::civil::Date, DbError> {
    let failed = |error: jiff::Error| DbError::Corrupt(format!("demo date: {error}"));
    let midnight = |date: jiff::civil::Date| {
        format!("{date}T00:00:00Z")
            .parse::<jiff::Timestamp>()
            .map(|instant| instant.as_second())
    };
    let soon = crate::pool::now() + 7 * 24 * 3600;
    while midnight(date).map_err(failed)? < soon {
        date = date
            .checked_add(jiff::Span::new().weeks(1))
            .map_err(failed)?;
    }
    Ok(date)
}
