//! A consortium five years on, for measuring: `kring demo --scale` adds to the
//! demo 20 programs with units in four languages, 100 cohorts, 5,000 members,
//! 2,000 sessions and 200,000 forum posts, one thread of them 2,000 long.
//!
//! Rows go in with bulk statements, so the whole set loads in minutes on either
//! engine. Every generated account shares one password hash (of the demo's
//! password): hashing 5,000 passwords would take longer than all the rest.

use super::DEMO_PASSWORD;
use crate::error::DbError;
use crate::pool::{get, now, Db, Engine};
use kring_domain::{
    CohortId, CohortPeriod, GroupName, Language, LanguageGroupId, ProgramId, ThreadId, UnitId,
    UserId,
};
use sqlx::any::AnyArguments;
use sqlx::Arguments;

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub programs: usize,
    pub cohorts_per_program: usize,
    pub members: usize,
    pub sessions_per_cohort: usize,
    pub threads_per_cohort: usize,
    pub posts: usize,
    pub long_thread_posts: usize,
}

impl Scale {
    /// Several cohorts a year for five years.
    pub const CONSORTIUM: Scale = Scale {
        programs: 20,
        cohorts_per_program: 5,
        members: 5000,
        sessions_per_cohort: 20,
        threads_per_cohort: 20,
        posts: 200_000,
        long_thread_posts: 2000,
    };
}

/// What was made, and where a benchmark finds its pages.
#[derive(Debug, Clone)]
pub struct ScaleReport {
    pub members: usize,
    pub cohorts: usize,
    pub sessions: usize,
    /// Every post in the forum, the demo's too.
    pub posts: usize,
    /// A member of `cohort` (password [`DEMO_PASSWORD`]) who has read the
    /// long thread up to its 300th post (or to its end, if shorter).
    pub member_email: String,
    pub cohort: CohortId,
    pub category: i64,
    pub long_thread: ThreadId,
    pub unit: UnitId,
}

const MODULES_PER_PROGRAM: usize = 3;
const UNITS_PER_MODULE: usize = 4;
const FACILITATORS: usize = 50;
/// Rows per bulk statement: well under both engines' limits on parameters.
const ROWS_PER_STATEMENT: usize = 100;
/// The bench member has read this many posts of the long thread.
const LONG_THREAD_READ: usize = 300;

/// Words the generated texts are made of, in the program's four languages.
const WORDS: &[&str] = &[
    "family",
    "families",
    "child",
    "children",
    "care",
    "community",
    "home",
    "visit",
    "school",
    "parents",
    "grandmother",
    "kinship",
    "foster",
    "reunification",
    "listening",
    "trust",
    "support",
    "network",
    "caseworker",
    "meeting",
    "plan",
    "siblings",
    "youth",
    "neighbours",
    "familia",
    "niños",
    "cuidado",
    "comunidad",
    "visita",
    "escuela",
    "confianza",
    "apoyo",
    "Familie",
    "Kinder",
    "Pflege",
    "Gemeinschaft",
    "Besuch",
    "Vertrauen",
    "Unterstützung",
    "gezin",
    "kinderen",
    "zorg",
    "gemeenschap",
    "bezoek",
    "vertrouwen",
    "steun",
    "buurt",
    "we",
    "tried",
    "learned",
    "asked",
    "together",
    "weekly",
    "again",
    "first",
    "small",
    "steps",
    "what",
    "worked",
    "after",
    "before",
    "with",
    "the",
    "a",
    "and",
    "of",
    "to",
    "in",
    "our",
];

/// A repeatable stream of choices (xorshift): the same data on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides as u64) as usize
    }

    fn words(&mut self, count: usize) -> String {
        let mut text = String::new();
        for index in 0..count {
            if index > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[self.roll(WORDS.len())]);
        }
        text
    }
}

/// Loads the consortium beside the demo, once: `None` when it is already there.
pub async fn load_scale(db: &Db, scale: Scale) -> Result<Option<ScaleReport>, DbError> {
    super::load_if_empty(db).await?;
    let first_member = member_email(0);
    if sqlx::query("SELECT id FROM users WHERE email = $1")
        .bind(&first_member)
        .fetch_optional(&db.pool)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let mut dice = Dice(0x5eed_4b1e);
    let (programs, unit) = load_programs(db, scale, &mut dice).await?;
    let hash = db.hash_password(DEMO_PASSWORD).await?;
    let members = insert_people(db, scale.members, "member", "participant", &hash).await?;
    let facilitators = insert_people(db, FACILITATORS, "facilitator", "facilitator", &hash).await?;
    let cohorts = load_cohorts(db, scale, &programs).await?;
    let memberships = enrol(db, &cohorts, &members, &facilitators).await?;
    let sessions = load_sessions(db, scale, &cohorts).await?;
    let (category, long_thread) = load_forum(db, scale, &cohorts, &memberships, &mut dice).await?;
    let read_up_to = sqlx::query(
        "SELECT id FROM forum_posts WHERE thread_id = $1 ORDER BY id LIMIT 1 OFFSET $2",
    )
    .bind(long_thread.0)
    .bind(LONG_THREAD_READ.min(scale.long_thread_posts) as i64 - 1)
    .fetch_one(&db.pool)
    .await?;
    db.mark_read(
        members[0],
        long_thread,
        kring_domain::PostId(get(&read_up_to, "id")?),
    )
    .await?;
    // Fresh statistics, as a database that grew over five years has: the
    // planners choose by them, and would otherwise plan for empty tables. On
    // PostgreSQL also what autovacuum would long since have done: mark the
    // pages all-visible, without which an index-only scan (counting a
    // thread's unread posts) visits every row's page anyway.
    let refresh = match db.engine {
        Engine::Sqlite => "ANALYZE",
        Engine::Postgres => "VACUUM ANALYZE",
    };
    sqlx::raw_sql(refresh).execute(&db.pool).await?;
    let posts = sqlx::query("SELECT COUNT(*) AS posts FROM forum_posts")
        .fetch_one(&db.pool)
        .await?;
    Ok(Some(ScaleReport {
        members: members.len(),
        cohorts: cohorts.len(),
        sessions,
        posts: get::<i64>(&posts, "posts")? as usize,
        member_email: first_member,
        cohort: cohorts[0].0,
        category,
        long_thread,
        unit,
    }))
}

fn member_email(index: usize) -> String {
    format!("member{:05}@scale.kring", index + 1)
}

/// Programs of three modules of four units, each text in all four languages.
/// Returns the programs and the first unit.
async fn load_programs(
    db: &Db,
    scale: Scale,
    dice: &mut Dice,
) -> Result<(Vec<ProgramId>, UnitId), DbError> {
    let mut programs = Vec::new();
    let mut first_unit = None;
    for number in 1..=scale.programs {
        let program = db
            .create_program(
                &GroupName::parse(&format!("Consortium program {number:02}"))?,
                "Practitioners learning from each other, one of a consortium's programs.",
            )
            .await?;
        for position in 1..=MODULES_PER_PROGRAM {
            let module = db
                .create_module(program, position as i64, Language::En)
                .await?;
            for language in Language::ALL {
                let title = format!("Module {position} ({})", language.code());
                db.translate_module(module, language, &title, &dice.words(20))
                    .await?;
            }
            for unit_position in 1..=UNITS_PER_MODULE {
                let unit = db.create_unit(module, unit_position as i64).await?;
                first_unit.get_or_insert(unit);
                for language in Language::ALL {
                    let title = format!("Unit {position}.{unit_position} ({})", language.code());
                    let body = (0..6)
                        .map(|_| dice.words(60))
                        .collect::<Vec<_>>()
                        .join("\n\n");
                    db.translate_unit(unit, language, &title, &body).await?;
                }
            }
        }
        programs.push(program);
    }
    Ok((programs, first_unit.ok_or(DbError::NotFound)?))
}

/// `count` confirmed accounts of `role`, in bulk.
async fn insert_people(
    db: &Db,
    count: usize,
    kind: &str,
    role: &str,
    hash: &str,
) -> Result<Vec<UserId>, DbError> {
    const ZONES: [(&str, &str, &str); 6] = [
        ("AM", "Asia/Yerevan", "en"),
        ("GH", "Africa/Accra", "en"),
        ("KE", "Africa/Nairobi", "en"),
        ("PE", "America/Lima", "es"),
        ("DE", "Europe/Berlin", "de"),
        ("NL", "Europe/Amsterdam", "nl"),
    ];
    let at = now();
    let mut ids = Vec::with_capacity(count);
    let mut transaction = db.begin_write().await?;
    for chunk in (0..count).collect::<Vec<_>>().chunks(ROWS_PER_STATEMENT) {
        let mut arguments = AnyArguments::default();
        let mut rows = Vec::new();
        for &index in chunk {
            let (country, zone, language) = ZONES[index % ZONES.len()];
            let email = if kind == "member" {
                member_email(index)
            } else {
                format!("{kind}{:03}@scale.kring", index + 1)
            };
            let first = rows.len() * 8;
            rows.push(format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, {at}, {at})",
                first + 1,
                first + 2,
                first + 3,
                first + 4,
                first + 5,
                first + 6,
                first + 7,
                first + 8
            ));
            let _ = arguments.add(email);
            let _ = arguments.add(format!("{} {}", capitalised(kind), index + 1));
            let _ = arguments.add(hash.to_owned());
            let _ = arguments.add(role.to_owned());
            let _ = arguments.add(country.to_owned());
            let _ = arguments.add(language.to_owned());
            let _ = arguments.add(zone.to_owned());
            let _ = arguments.add(format!("{kind}{}", index + 1));
        }
        let statement = format!(
            "INSERT INTO users (email, display_name, password_hash, role, country, language, time_zone, \
             handle, created_at, email_verified_at) VALUES {} RETURNING id",
            rows.join(", ")
        );
        for row in sqlx::query_with(sqlx::AssertSqlSafe(statement), arguments)
            .fetch_all(&mut *transaction)
            .await?
        {
            ids.push(UserId(get(&row, "id")?));
        }
    }
    transaction.commit().await?;
    Ok(ids)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Cohorts of every program over five years, each with an English and a
/// Spanish group and its forum; the newest run now.
async fn load_cohorts(
    db: &Db,
    scale: Scale,
    programs: &[ProgramId],
) -> Result<Vec<(CohortId, Vec<LanguageGroupId>)>, DbError> {
    let mut cohorts = Vec::new();
    for round in (0..scale.cohorts_per_program).rev() {
        // Round 0 starts this autumn; earlier rounds a year apart before it.
        let year = 2026 - round as i64;
        for (number, program) in programs.iter().enumerate() {
            let (cohort, groups) = db
                .create_cohort(
                    *program,
                    &GroupName::parse(&format!("Cohort {year}-{} ({})", year + 1, number + 1))?,
                    &CohortPeriod::parse(&format!("{year}-10-01"), &format!("{}-03-31", year + 1))?,
                    &[
                        ("English group".to_owned(), Language::En),
                        ("Spanish group".to_owned(), Language::Es),
                    ],
                )
                .await?;
            db.create_forum(cohort).await?;
            cohorts.push((cohort, groups));
        }
    }
    // The current cohorts first: the bench member's is the first.
    cohorts.reverse();
    Ok(cohorts)
}

/// Every member in one cohort, a third in a second; each facilitator runs two.
/// Returns each cohort's members.
async fn enrol(
    db: &Db,
    cohorts: &[(CohortId, Vec<LanguageGroupId>)],
    members: &[UserId],
    facilitators: &[UserId],
) -> Result<Vec<Vec<UserId>>, DbError> {
    let mut memberships = vec![Vec::new(); cohorts.len()];
    let mut rows = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let mut places = vec![index % cohorts.len()];
        if index % 3 == 0 {
            places.push((index + 37) % cohorts.len());
        }
        for place in places {
            let group = cohorts[place].1[index % 2];
            rows.push((cohorts[place].0, *member, group));
            memberships[place].push(*member);
        }
    }
    let at = now();
    let mut transaction = db.begin_write().await?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values: Vec<String> = chunk
            .iter()
            .map(|(cohort, user, group)| format!("({}, {}, {}, {at})", cohort.0, user.0, group.0))
            .collect();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO cohort_members (cohort_id, user_id, language_group_id, joined_at) VALUES {}",
            values.join(", ")
        )))
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    for (index, (cohort, _)) in cohorts.iter().enumerate() {
        db.assign_facilitator(*cohort, facilitators[index / 2 % facilitators.len()], None)
            .await?;
    }
    Ok(memberships)
}

/// Weekly live sessions for each cohort from its start, in two languages.
async fn load_sessions(
    db: &Db,
    scale: Scale,
    cohorts: &[(CohortId, Vec<LanguageGroupId>)],
) -> Result<usize, DbError> {
    const WEEK: i64 = 7 * 24 * 3600;
    let at = now();
    let mut transaction = db.begin_write().await?;
    let mut count = 0;
    for (cohort, _) in cohorts {
        let start = sqlx::query("SELECT starts_on FROM cohorts WHERE id = $1")
            .bind(cohort.0)
            .fetch_one(&mut *transaction)
            .await?;
        let first = first_session_at(&get::<String>(&start, "starts_on")?)?;
        let values: Vec<String> = (0..scale.sessions_per_cohort)
            .map(|week| {
                format!(
                    "('scale-{}-{week}@kring', 'live', {}, {}, 'Europe/Amsterdam', 90, 'scheduled', {at}, {at})",
                    cohort.0,
                    cohort.0,
                    first + week as i64 * WEEK
                )
            })
            .collect();
        count += values.len();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO calendar_sessions (uid, kind, cohort_id, starts_at, host_zone, duration_minutes, \
             status, created_at, updated_at) VALUES {}",
            values.join(", ")
        )))
        .execute(&mut *transaction)
        .await?;
    }
    for (language, title) in [
        (Language::En, "Live session"),
        (Language::Es, "Sesión en vivo"),
    ] {
        sqlx::query(
            "INSERT INTO session_translations (session_id, language, title, description) \
             SELECT id, $1, $2, 'A weekly meeting of the cohort.' FROM calendar_sessions \
             WHERE uid LIKE 'scale-%'",
        )
        .bind(language.code())
        .bind(title)
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    Ok(count)
}

/// 15:00 UTC on a cohort's first day (`YYYY-MM-DD`), as a Unix time.
fn first_session_at(day: &str) -> Result<i64, DbError> {
    format!("{day}T15:00:00Z")
        .parse::<jiff::Timestamp>()
        .map(|instant| instant.as_second())
        .map_err(|_| DbError::Corrupt(format!("cohort start {day:?}")))
}

/// Threads in every cohort's module and general categories and their posts,
/// written by the cohort's members over the cohort's months; the first
/// cohort's first thread is the long one. Returns that thread's category and
/// the thread.
async fn load_forum(
    db: &Db,
    scale: Scale,
    cohorts: &[(CohortId, Vec<LanguageGroupId>)],
    memberships: &[Vec<UserId>],
    dice: &mut Dice,
) -> Result<(i64, ThreadId), DbError> {
    let threads_in_all = cohorts.len() * scale.threads_per_cohort;
    let spread = (scale.posts - scale.long_thread_posts).div_ceil((threads_in_all - 1).max(1));
    let at = now();
    let mut long = None;
    let mut number = 0;
    for ((cohort, _), members) in cohorts.iter().zip(memberships) {
        let categories = sqlx::query(
            "SELECT id FROM forum_categories WHERE cohort_id = $1 AND kind IN ('module', 'general') ORDER BY id",
        )
        .bind(cohort.0)
        .fetch_all(&db.pool)
        .await?;
        let start = first_session_at(&get::<String>(
            &sqlx::query("SELECT starts_on FROM cohorts WHERE id = $1")
                .bind(cohort.0)
                .fetch_one(&db.pool)
                .await?,
            "starts_on",
        )?)?;
        let mut transaction = db.begin_write().await?;
        for index in 0..scale.threads_per_cohort {
            let category: i64 = get(&categories[index % categories.len()], "id")?;
            let author = members[dice.roll(members.len())];
            let title = format!("Question {} about {}", index + 1, dice.words(3));
            let thread = ThreadId(get(
                &sqlx::query(
                    "INSERT INTO forum_threads (category_id, author_id, title, last_activity_at, created_at) \
                     VALUES ($1, $2, $3, $4, $4) RETURNING id",
                )
                .bind(category)
                .bind(author.0)
                .bind(&title)
                .bind(start)
                .fetch_one(&mut *transaction)
                .await?,
                "id",
            )?);
            let posts = if number == 0 {
                scale.long_thread_posts
            } else {
                spread
            };
            if number == 0 {
                long = Some((category, thread));
            }
            number += 1;
            for first in (0..posts).step_by(ROWS_PER_STATEMENT) {
                let mut arguments = AnyArguments::default();
                let mut rows = Vec::new();
                let mut bound = 0;
                let mut bind = |arguments: &mut AnyArguments, value: String| {
                    let _ = arguments.add(value);
                    bound += 1;
                    format!("${bound}")
                };
                for position in first..(first + ROWS_PER_STATEMENT).min(posts) {
                    let length = 25 + dice.roll(40);
                    let text = dice.words(length);
                    let written =
                        (start + (position as i64) * 3600 + dice.roll(3000) as i64).min(at);
                    let body = bind(&mut arguments, text.clone());
                    let search_text = bind(&mut arguments, text);
                    // The post that opens the thread carries its title for search.
                    let search_title = if position == 0 {
                        bind(&mut arguments, title.clone())
                    } else {
                        "NULL".to_owned()
                    };
                    rows.push(format!(
                        "({}, {}, {body}, {written}, {search_text}, {search_title})",
                        thread.0,
                        members[dice.roll(members.len())].0,
                    ));
                }
                sqlx::query_with(
                    sqlx::AssertSqlSafe(format!(
                        "INSERT INTO forum_posts (thread_id, author_id, body, created_at, search_text, search_title) \
                         VALUES {}",
                        rows.join(", ")
                    )),
                    arguments,
                )
                .execute(&mut *transaction)
                .await?;
            }
            sqlx::query(
                "UPDATE forum_threads SET post_count = (SELECT COUNT(*) FROM forum_posts p WHERE p.thread_id = $1), \
                 last_post_id = (SELECT MAX(p.id) FROM forum_posts p WHERE p.thread_id = $1), \
                 last_activity_at = (SELECT MAX(p.created_at) FROM forum_posts p WHERE p.thread_id = $1) \
                 WHERE id = $1",
            )
            .bind(thread.0)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
    }
    long.ok_or(DbError::NotFound)
}
