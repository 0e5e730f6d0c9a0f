//! Categories and threads: lists with unread markers, the thread that opens at
//! the first unread post, posting (plain threads, cases, replies with quotes
//! and tags), the facilitators' pin, lock and move, and @mention suggestions.

#[cfg(feature = "ssr")]
use crate::components::Pages;
use crate::error::AppError;
use crate::forum::*;
#[cfg(feature = "ssr")]
use crate::i18n::*;
#[cfg(feature = "ssr")]
use kring_domain::forum::ReplyTag;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::forum::access::*;
#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};
#[cfg(feature = "ssr")]
use kring_domain::{CategoryId, PostId, ThreadId};

/// A page (from 0) of a category's threads.
#[server(endpoint = "forum/category")]
pub async fn load_category(id: i64, page: Option<i64>) -> Result<CategoryView, AppError> {
    let context = request_context();
    // The opening is read before the threads, so the "new posts" bar misses
    // nothing committed in between.
    let (user, head, access) = require_category_page_reader(&context, CategoryId(id)).await?;
    let topic = topic_named(&head.category, head.topic)?;
    let (category, opening) = (head.category, head.opening);
    let db = db();
    let latest_event = opening.latest_event;
    let pages = Pages::of(
        opening.threads,
        kring_db::THREADS_PER_PAGE,
        page.unwrap_or(0),
    );
    let zone = context.time_zone();
    let threads = db
        .threads(category.id, user.id, pages.page)
        .await?
        .into_iter()
        .map(|thread| ThreadEntry {
            id: thread.id.0,
            title: thread.title,
            author: crate::i18n::person_name(
                crate::i18n::locale(context.viewer.language),
                thread.author.as_deref(),
            ),
            is_case: thread.is_case,
            pinned: thread.pinned,
            locked: thread.locked,
            replies: (thread.post_count - 1).max(0),
            last_activity: kring_domain::time_text::moment(
                thread.last_activity_at,
                &zone,
                context.viewer.language,
            ),
            unread: thread.unread,
            first_unread: thread.first_unread.map(|post| post.0),
        })
        .collect();
    let circle_log = match category.kind {
        kring_db::CategoryKind::Circle(circle) if db.is_circle_member(circle, user.id).await? => {
            Some(circle_log_lines(&context, circle).await?)
        }
        _ => None,
    };
    Ok(CategoryView {
        id,
        cohort: category.cohort.0,
        topic,
        threads,
        pages,
        may_post: access.post,
        latest_event,
        circle_log,
    })
}

/// What happened in a circle (who read it from outside, who joined and
/// left, what facilitators changed), newest first, as sentences.
#[cfg(feature = "ssr")]
async fn circle_log_lines(
    context: &crate::viewer::RequestContext,
    circle: kring_domain::CircleId,
) -> Result<Vec<(String, String)>, AppError> {
    let language = context.viewer.language;
    let (t, zone) = (crate::i18n::locale(language), context.time_zone());
    Ok(db()
        .circle_log(circle, None)
        .await?
        .iter()
        .map(|entry| {
            (
                kring_domain::time_text::moment(entry.created_at, &zone, language),
                crate::i18n::audit_sentence(t, entry),
            )
        })
        .collect())
}

/// A page of a thread: the one holding `post` when given, else `page` (from
/// 0), else the page holding the reader's first unread post, else the last.
/// Reading it changes nothing: the page's live thread behaviour marks it read with a
/// post once it is shown.
#[server(endpoint = "forum/thread")]
pub async fn load_thread(
    id: i64,
    quote: Option<String>,
    page: Option<i64>,
    post: Option<i64>,
) -> Result<ThreadView, AppError> {
    let context = request_context();
    // The opening is read before the posts (see `ThreadOpening::latest_event`).
    let (user, head, access) =
        require_thread_page_reader(&context, ThreadId(id), post.map(PostId)).await?;
    let topic = topic_named(&head.thread.category, head.topic)?;
    let (thread, opening) = (head.thread, head.opening);
    let db = db();
    let (latest_event, first_unread) = (opening.latest_event, opening.first_unread);
    let requested = match (post, page) {
        (None, Some(page)) => page,
        _ => opening.page,
    };
    let pages = Pages::of(opening.posts, kring_db::POSTS_PER_PAGE, requested);
    let records = db.posts(thread.id, pages.page).await?;
    let reader = PostReader::new(&context, user, access, &thread);
    let rendered = crate::rendered::RenderCache::provided();
    let view_of = |post: &kring_db::PostRecord| {
        let html = rendered.post(post.id, &post.body);
        PostView::for_reader(thread.id, post, &html, &reader)
    };
    let posts: Vec<PostView> = records.iter().map(view_of).collect();
    let case_summary = if thread.is_case {
        case_summary(
            db.tagged_posts(thread.id).await?,
            crate::i18n::locale(context.viewer.language),
        )
    } else {
        Vec::new()
    };
    let quote = match quote.and_then(|quote| quote.trim().parse::<i64>().ok()) {
        Some(quoted) => match db.post(PostId(quoted)).await {
            Ok((in_thread, record)) if in_thread == thread.id => {
                let view = view_of(&record);
                (view.state == PostState::Visible).then(|| {
                    let text = kring_domain::forum::quote_markdown(&view.author, &record.body);
                    (record.id.0, text)
                })
            }
            Ok(_) | Err(kring_db::DbError::NotFound) => None,
            Err(error) => return Err(error.into()),
        },
        None => None,
    };
    // A circle's threads stay in it; the others may move to any category but a circle's.
    let in_circle = matches!(thread.category.kind, kring_db::CategoryKind::Circle(_));
    let move_targets = if access.moderate && !in_circle {
        let language = context.viewer.language;
        db.category_overview(thread.category.cohort, user.id, language)
            .await?
            .into_iter()
            .filter(|overview| overview.category.id != thread.category.id)
            .map(|overview| {
                let topic = topic_named(&overview.category, overview.module_title)?;
                Ok((overview.category.id.0, topic.name(context.viewer.locale())))
            })
            .collect::<Result<_, kring_db::DbError>>()?
    } else {
        Vec::new()
    };
    let read_before = match (first_unread, records.first()) {
        (Some(unread), Some(first_shown)) => unread.0 > first_shown.id.0 || pages.page > 0,
        _ => false,
    };
    Ok(ThreadView {
        id,
        title: thread.title,
        cohort: thread.category.cohort.0,
        category: (thread.category.id.0, topic.name(context.viewer.locale())),
        is_case: thread.is_case,
        kept_for_cohort: thread.kept_for_cohort,
        pinned: thread.pinned,
        locked: thread.locked,
        posts,
        pages,
        read_before,
        first_unread: first_unread.map(|post| post.0),
        may_post: access.post && !thread.locked,
        moderate: access.moderate,
        latest_event,
        case_summary,
        move_targets,
        quote,
    })
}

/// A case's tagged replies grouped for its owner, with a plain excerpt of each.
#[cfg(feature = "ssr")]
fn case_summary(tagged: Vec<kring_db::PostRecord>, t: crate::i18n::Locale) -> CaseSummary {
    ReplyTag::ALL
        .into_iter()
        .map(|tag| {
            let replies = tagged
                .iter()
                .filter(|record| record.tag == Some(tag))
                .map(|record| {
                    let text = kring_domain::markdown::plain_text(&record.body);
                    let mut excerpt: String = text.chars().take(160).collect();
                    if text.chars().count() > 160 {
                        excerpt.push('…');
                    }
                    (
                        record.id.0,
                        crate::i18n::person_name(t, record.author.as_deref()),
                        excerpt,
                    )
                })
                .collect::<Vec<_>>();
            (tag, replies)
        })
        .filter(|(_, replies)| !replies.is_empty())
        .collect()
}

/// The reader has seen `thread` up to `post` (sent by the thread page once
/// its posts are shown, and for each post that arrives live).
#[server(endpoint = "forum/threads/read")]
pub async fn mark_thread_read(thread: i64, post: i64) -> Result<(), AppError> {
    let context = request_context();
    let (user, thread, _) = require_thread_reader(&context, ThreadId(thread)).await?;
    let db = db();
    let (in_thread, _) = db.post(PostId(post)).await?;
    if in_thread != thread.id {
        return Err(context.error(ErrorCode::NotFound));
    }
    Ok(db.mark_read(user.id, thread.id, PostId(post)).await?)
}

/// Opens a thread with its first post, written by `first_post` in the
/// requester's language; cases go in the cases category, discussions elsewhere.
#[cfg(feature = "ssr")]
async fn open_thread(
    category: i64,
    title: &str,
    is_case: bool,
    first_post: impl FnOnce(Locale) -> Result<kring_domain::forum::PostBody, kring_domain::DomainError>,
) -> Result<(), AppError> {
    use kring_domain::forum::ThreadTitle;
    let context = request_context();
    let (user, category, access) = require_category_reader(&context, CategoryId(category)).await?;
    require_poster(&context, access)?;
    if is_case != (category.kind == kring_db::CategoryKind::Cases) {
        return Err(context.error(ErrorCode::Forbidden));
    }
    let title = ThreadTitle::parse(title)?;
    let body = first_post(context.viewer.locale())?;
    check_posting_rate(&context, user).await?;
    let (thread, _) = db()
        .start_thread(category.id, user.id, &title, &body, is_case)
        .await?;
    crate::navigation::redirect(&format!("/forum/threads/{}", thread.0));
    Ok(())
}

/// Starts a discussion thread (not a case) in a category.
#[server(endpoint = "forum/threads/start")]
pub async fn start_thread(category: i64, title: String, body: String) -> Result<(), AppError> {
    open_thread(category, &title, false, |_| {
        kring_domain::forum::PostBody::parse(&body)
    })
    .await
}

/// Brings a case to the group: the structured template, confirmed to identify no child or family.
#[server(endpoint = "forum/cases/start")]
pub async fn start_case(
    category: i64,
    title: String,
    context_text: String,
    question: String,
    tried: String,
    anonymous: Option<String>,
) -> Result<(), AppError> {
    use kring_domain::forum::{CaseTemplate, PostBody};
    open_thread(category, &title, true, |t| {
        let case = CaseTemplate::parse(&context_text, &question, &tried, anonymous.is_some())?;
        PostBody::parse(&case.markdown([
            td_string!(t, forum_case_context),
            td_string!(t, forum_case_question),
            td_string!(t, forum_case_tried),
        ]))
    })
    .await
}

/// Replies in a thread, optionally quoting a post and (in case threads) tagged.
#[server(endpoint = "forum/reply")]
pub async fn reply(
    thread: i64,
    body: String,
    tag: Option<String>,
    quote_of: Option<String>,
) -> Result<i64, AppError> {
    use kring_domain::forum::PostBody;
    let context = request_context();
    let (user, thread, access) = require_thread_reader(&context, ThreadId(thread)).await?;
    require_poster(&context, access)?;
    if thread.locked {
        return Err(context.error(ErrorCode::ThreadLocked));
    }
    let body = PostBody::parse(&body)?;
    let tag =
        ReplyTag::parse_optional(tag.as_deref().unwrap_or_default())?.filter(|_| thread.is_case);
    let quote_of = quote_of
        .and_then(|quote| quote.trim().parse::<i64>().ok())
        .map(PostId);
    check_posting_rate(&context, user).await?;
    let posted = db()
        .reply(&kring_db::NewReply {
            thread: thread.id,
            author: user.id,
            body: &body,
            tag,
            quote_of,
        })
        .await;
    let post = posted?;
    // Who replies has read the thread up to their reply.
    db().mark_read(user.id, thread.id, post).await?;
    // The reply form posts from the thread page; a script caller gets the id.
    if context.accepts_html {
        crate::navigation::redirect(&post_link(thread.id.0, post.0));
    }
    Ok(post.0)
}

/// Marks every thread of a category read.
#[server(endpoint = "forum/categories/read")]
pub async fn mark_category_read(category: i64) -> Result<(), AppError> {
    let context = request_context();
    let (user, category, _) = require_category_reader(&context, CategoryId(category)).await?;
    db().mark_category_read(user.id, category.id).await?;
    crate::navigation::redirect(&format!("/forum/categories/{}?read", category.id.0));
    Ok(())
}

/// Runs a facilitator's change to a thread, then shows the thread again.
#[cfg(feature = "ssr")]
async fn moderate_thread<Change>(
    thread: i64,
    audited: Option<(kring_db::AuditAction, &'static str)>,
    change: impl FnOnce(kring_db::Db, ThreadId) -> Change,
) -> Result<(), AppError>
where
    Change: std::future::Future<Output = Result<(), kring_db::DbError>>,
{
    let context = request_context();
    let (_, thread, access) = require_thread_reader(&context, ThreadId(thread)).await?;
    require_moderator(&context, access)?;
    change(db(), thread.id).await?;
    if let Some((action, detail)) = audited {
        context
            .audit(action, |entry| {
                let entry = entry.cohort(thread.category.cohort).detail(detail);
                match thread.category.kind {
                    kring_db::CategoryKind::Circle(circle) => entry.circle(circle),
                    _ => entry,
                }
            })
            .await?;
    }
    crate::navigation::redirect(&format!("/forum/threads/{}", thread.id.0));
    Ok(())
}

/// A facilitator pins or unpins a thread.
#[server(endpoint = "forum/threads/pin")]
pub async fn pin_thread(thread: i64, pinned: bool) -> Result<(), AppError> {
    moderate_thread(thread, None, async move |db, thread| {
        db.set_thread_pinned(thread, pinned).await
    })
    .await
}

/// A facilitator locks a thread against replies, or opens it again.
#[server(endpoint = "forum/threads/lock")]
pub async fn lock_thread(thread: i64, locked: bool) -> Result<(), AppError> {
    let detail = if locked { "locked" } else { "unlocked" };
    moderate_thread(
        thread,
        Some((kring_db::AuditAction::ThreadLock, detail)),
        async move |db, thread| db.set_thread_locked(thread, locked).await,
    )
    .await
}

/// A facilitator keeps a case for the cohort should its author erase their
/// account (a case otherwise goes with its author), or stops keeping it.
#[server(endpoint = "forum/threads/keep")]
pub async fn keep_case(thread: i64, kept: bool) -> Result<(), AppError> {
    moderate_thread(thread, None, async move |db, thread| {
        db.set_case_kept(thread, kept).await
    })
    .await
}

/// A facilitator moves a thread to another category of the same cohort.
#[server(endpoint = "forum/threads/move")]
pub async fn move_thread(thread: i64, category: i64) -> Result<(), AppError> {
    moderate_thread(thread, None, async move |db, thread| {
        db.move_thread(thread, CategoryId(category)).await
    })
    .await
}

/// Who can be @mentioned in a category, by the start of their handle: (handle, name).
#[server(endpoint = "forum/mentions")]
pub async fn mention_candidates(
    category: i64,
    prefix: String,
) -> Result<Vec<(String, String)>, AppError> {
    let context = request_context();
    let (_, category, _) = require_category_reader(&context, CategoryId(category)).await?;
    Ok(db().mention_candidates(category.id, &prefix).await?)
}
