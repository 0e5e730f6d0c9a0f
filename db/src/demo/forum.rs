//! The demo cohort's forum: threads in each module, two cases, the welcome
//! thread and the consultation circle, spread over the past two days.

use crate::error::DbError;
use crate::pool::Db;
use kring_domain::{CohortId, UserId};

/// The demo's posts were all written just now; a forum reads truer (and the
/// posting rate limit holds) when they spread over the last two days, an hour
/// and a half apart, in the order written.
pub(super) async fn spread_forum_over_past_days(db: &Db) -> Result<(), DbError> {
    const APART: i64 = 5400;
    let newest = crate::pool::now() - 600;
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
pub(super) async fn load_forum(
    db: &Db,
    cohort: CohortId,
    people: &[(&str, UserId)],
) -> Result<(), DbError> {
    use crate::posts::NewReply;
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
