//! Categories and threads: lists with unread markers, the thread page that
//! opens at the first unread post, posting (plain threads, cases, replies with
//! quotes and tags) and the facilitators' pin, lock and move.

use super::*;
use crate::components::{page_number, route_id, Notice, Pager, Pages, TextArea};
use kring_domain::forum::ReplyTag;
use leptos_router::hooks::use_query_map;

#[cfg(feature = "ssr")]
use kring_domain::{CategoryId, PostId, ThreadId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadEntry {
    pub id: i64,
    pub title: String,
    pub author: String,
    pub is_case: bool,
    pub pinned: bool,
    pub locked: bool,
    pub replies: i64,
    /// The last activity in the reader's zone and language.
    pub last_activity: String,
    pub unread: i64,
    pub first_unread: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub id: i64,
    pub cohort: i64,
    pub topic: CategoryTopic,
    /// One page of threads, pinned first, then the most recently active.
    pub threads: Vec<ThreadEntry>,
    pub pages: Pages,
    pub may_post: bool,
    /// The newest event: where the "new posts" bar starts counting.
    pub latest_event: i64,
}

/// A case thread's tagged replies, grouped for the case owner: (tag, [(post, author, excerpt)]).
pub type CaseSummary = Vec<(ReplyTag, Vec<(i64, String, String)>)>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: i64,
    pub title: String,
    pub cohort: i64,
    pub category: (i64, String),
    pub is_case: bool,
    pub pinned: bool,
    pub locked: bool,
    /// One page of posts, oldest first.
    pub posts: Vec<PostView>,
    pub pages: Pages,
    /// Whether a post before this page's first was read (the "new since your
    /// last visit" divider then shows above the first unread post).
    pub read_before: bool,
    pub first_unread: Option<i64>,
    pub may_post: bool,
    pub moderate: bool,
    pub latest_event: i64,
    pub case_summary: CaseSummary,
    /// For facilitators: the categories a thread can move to, (id, name).
    pub move_targets: Vec<(i64, String)>,
    /// The reply form's starting text when quoting: (post, Markdown).
    pub quote: Option<(i64, String)>,
}

/// A page (from 0) of a category's threads.
#[server(endpoint = "forum/category")]
pub async fn load_category(id: i64, page: Option<i64>) -> Result<CategoryView, AppError> {
    let context = request_context();
    let (user, category, access) = require_category_reader(&context, CategoryId(id)).await?;
    let db = db();
    // Read before the threads, so the "new posts" bar misses nothing committed in between.
    let latest_event = db
        .latest_category_event(category.id)
        .await
        .map_err(|e| context.internal(e))?;
    let count = db
        .thread_count(category.id)
        .await
        .map_err(|e| context.internal(e))?;
    let pages = Pages::of(count, kring_db::THREADS_PER_PAGE, page.unwrap_or(0));
    let zone = context.time_zone();
    let threads = db
        .threads(category.id, user.id, pages.page)
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .map(|thread| ThreadEntry {
            id: thread.id.0,
            title: thread.title,
            author: thread.author.unwrap_or_default(),
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
    Ok(CategoryView {
        id,
        cohort: category.cohort.0,
        topic: topic_of(&context, &category).await?,
        threads,
        pages,
        may_post: access.post,
        latest_event,
    })
}

/// A page of a thread: the one holding `post` when given, else `page` (from
/// 0), else the page holding the reader's first unread post, else the last.
/// Reading it changes nothing: the page's `LiveThread` marks it read with a
/// post once it is shown.
#[server(endpoint = "forum/thread")]
pub async fn load_thread(
    id: i64,
    quote: Option<String>,
    page: Option<i64>,
    post: Option<i64>,
) -> Result<ThreadView, AppError> {
    let context = request_context();
    let (user, thread, access) = require_thread_reader(&context, ThreadId(id)).await?;
    let db = db();
    // Read before the posts: a post committed in between is then both on the
    // page and sent live, and the page replaces it by id rather than missing it.
    let latest_event = db
        .latest_thread_event(thread.id)
        .await
        .map_err(|e| context.internal(e))?;
    let first_unread = db
        .first_unread(user.id, thread.id)
        .await
        .map_err(|e| context.internal(e))?;
    let (count, wanted_page) = db
        .post_page(thread.id, post.map(PostId).or(first_unread))
        .await
        .map_err(|e| context.internal(e))?;
    let requested = match (post, page) {
        (None, Some(page)) => page,
        _ => wanted_page,
    };
    let pages = Pages::of(count, kring_db::POSTS_PER_PAGE, requested);
    let records = db
        .posts(thread.id, pages.page)
        .await
        .map_err(|e| context.internal(e))?;
    let reader = PostReader::new(&context, user, access, &thread);
    let view_of = |post: &kring_db::PostRecord| {
        let html = kring_domain::markdown::render(&post.body);
        PostView::for_reader(thread.id, post, &html, &reader)
    };
    let posts: Vec<PostView> = records.iter().map(view_of).collect();
    let case_summary = if thread.is_case {
        case_summary(
            db.tagged_posts(thread.id)
                .await
                .map_err(|e| context.internal(e))?,
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
            Err(error) => return Err(context.internal(error)),
        },
        None => None,
    };
    let move_targets = if access.moderate {
        let mut targets = Vec::new();
        for category in db
            .categories(thread.category.cohort)
            .await
            .map_err(|e| context.internal(e))?
        {
            if category.id != thread.category.id {
                let topic = topic_of(&context, &category).await?;
                targets.push((category.id.0, topic.name(context.viewer.locale())));
            }
        }
        targets
    } else {
        Vec::new()
    };
    let topic = topic_of(&context, &thread.category).await?;
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
fn case_summary(tagged: Vec<kring_db::PostRecord>) -> CaseSummary {
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
                        record.author.clone().unwrap_or_default(),
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
    let (in_thread, _) = db
        .post(PostId(post))
        .await
        .map_err(|e| context.db_error(e))?;
    if in_thread != thread.id {
        return Err(context.error(ErrorCode::NotFound));
    }
    db.mark_read(user.id, thread.id, PostId(post))
        .await
        .map_err(|e| context.internal(e))
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
    let invalid = |e| context.error(ErrorCode::Invalid(e));
    let title = ThreadTitle::parse(title).map_err(invalid)?;
    let body = first_post(context.viewer.locale()).map_err(invalid)?;
    check_posting_rate(&context, user).await?;
    let (thread, _) = db()
        .start_thread(category.id, user.id, &title, &body, is_case)
        .await
        .map_err(|e| context.db_error(e))?;
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
    let body = PostBody::parse(&body).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    let tag = ReplyTag::parse_optional(tag.as_deref().unwrap_or_default())
        .map_err(|e| context.error(ErrorCode::Invalid(e)))?
        .filter(|_| thread.is_case);
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
    let post = posted.map_err(|e| context.db_error(e))?;
    // Who replies has read the thread up to their reply.
    db().mark_read(user.id, thread.id, post)
        .await
        .map_err(|e| context.internal(e))?;
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
    db().mark_category_read(user.id, category.id)
        .await
        .map_err(|e| context.internal(e))?;
    crate::navigation::redirect(&format!("/forum/categories/{}?read", category.id.0));
    Ok(())
}

/// Runs a facilitator's change to a thread, then shows the thread again.
#[cfg(feature = "ssr")]
async fn moderate_thread<Change>(
    thread: i64,
    change: impl FnOnce(kring_db::Db, ThreadId) -> Change,
) -> Result<(), AppError>
where
    Change: std::future::Future<Output = Result<(), kring_db::DbError>>,
{
    let context = request_context();
    let (_, thread, access) = require_thread_reader(&context, ThreadId(thread)).await?;
    require_moderator(&context, access)?;
    change(db(), thread.id)
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect(&format!("/forum/threads/{}", thread.id.0));
    Ok(())
}

/// A facilitator pins or unpins a thread.
#[server(endpoint = "forum/threads/pin")]
pub async fn pin_thread(thread: i64, pinned: bool) -> Result<(), AppError> {
    moderate_thread(thread, async move |db, thread| {
        db.set_thread_pinned(thread, pinned).await
    })
    .await
}

/// A facilitator locks a thread against replies, or opens it again.
#[server(endpoint = "forum/threads/lock")]
pub async fn lock_thread(thread: i64, locked: bool) -> Result<(), AppError> {
    moderate_thread(thread, async move |db, thread| {
        db.set_thread_locked(thread, locked).await
    })
    .await
}

/// A facilitator moves a thread to another category of the same cohort.
#[server(endpoint = "forum/threads/move")]
pub async fn move_thread(thread: i64, category: i64) -> Result<(), AppError> {
    moderate_thread(thread, async move |db, thread| {
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
    db().mention_candidates(category.id, &prefix)
        .await
        .map_err(|e| context.internal(e))
}

/// `/forum/categories/:id`: the threads, newest activity first (pinned on top), and a new-thread form.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = route_id();
    let (read, page) = use_query_map().with_untracked(|q| {
        (
            q.get("read").is_some(),
            q.get("page").map(|page| page_number(&page)),
        )
    });
    let data = Resource::new_blocking(move || (id, page), |(id, page)| load_category(id, page));
    let start = ServerAction::<StartThread>::new();
    let start_case = ServerAction::<StartCase>::new();
    let mark_read = ServerAction::<MarkCategoryRead>::new();
    let error = Signal::derive(move || {
        start
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| start_case.value().get().and_then(Result::err))
    });
    view! {
        <Notice show=read text=td_string!(t, forum_marked_read)/>
        <Suspense>
            {move || Suspend::new(async move {
                let category = match data.await {
                    Ok(category) => category,
                    Err(error) => return view! {
                        <Title text=td_string!(t, forum_title)/>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                };
                let name = category.topic.name(t);
                let is_cases = category.topic == CategoryTopic::Cases;
                view! {
                    <Title text=name.clone()/>
                    <p class="breadcrumb"><a href=format!("/forum/cohorts/{}", category.cohort)>{td_string!(t, forum_title)}</a></p>
                    <h1>{name}</h1>
                    <p class="hint">{category.topic.description(t)}</p>
                    <NewPostsBar category=category.id after=category.latest_event labels=live_labels(t)/>
                    <ActionForm action=mark_read attr:class="inline">
                        <input type="hidden" name="category" value=category.id.to_string()/>
                        <button type="submit" class="secondary small">{td_string!(t, forum_mark_all_read)}</button>
                    </ActionForm>
                    {category.threads.is_empty().then(|| view! { <p class="hint">{td_string!(t, forum_no_threads)}</p> })}
                    <ul class="threads">
                        {category.threads.iter().map(|thread| {
                            let href = match thread.first_unread {
                                Some(post) => format!("/forum/threads/{}#post-{post}", thread.id),
                                None => format!("/forum/threads/{}", thread.id),
                            };
                            let class = if thread.unread > 0 { "thread unread" } else { "thread" };
                            view! {
                                <li class=class data-thread=thread.id.to_string()>
                                    <a class="title" href=href>{thread.title.clone()}</a>
                                    {thread.pinned.then(|| view! { <span class="badge">{td_string!(t, forum_pinned)}</span> })}
                                    {thread.locked.then(|| view! { <span class="badge">{td_string!(t, forum_locked)}</span> })}
                                    {thread.is_case.then(|| view! { <span class="badge case">{td_string!(t, forum_case_badge)}</span> })}
                                    {(thread.unread > 0).then(|| view! {
                                        <span class="badge unread">{td_string!(t, forum_unread_posts).replace("%count%", &thread.unread.to_string())}</span>
                                    })}
                                    <p class="meta">
                                        {thread.author.clone()} " · "
                                        {counted(thread.replies, td_string!(t, forum_replies_one), td_string!(t, forum_replies))} " · "
                                        {td_string!(t, forum_last_activity).replace("%when%", &thread.last_activity)}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <Pager pages=category.pages base=format!("/forum/categories/{}", category.id) t/>
                    {category.may_post.then(|| if is_cases {
                        view! {
                            <ActionForm action=start_case attr:class="card post-form" attr:id="new-thread">
                                <h2>{td_string!(t, forum_new_case)}</h2>
                                <p class="hint">{td_string!(t, forum_case_intro)}</p>
                                <ErrorNotice error/>
                                <input type="hidden" name="category" value=category.id.to_string()/>
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_thread_title)}</span>
                                    <input type="text" name="title" required maxlength="200"/>
                                </label>
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_case_context)}</span>
                                    <TextArea name="context_text" attr:rows="5" attr:required=true/>
                                </label>
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_case_question)}</span>
                                    <TextArea name="question" attr:rows="3" attr:required=true/>
                                </label>
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_case_tried)}</span>
                                    <TextArea name="tried" attr:rows="3" attr:required=true/>
                                </label>
                                <label class="check">
                                    <input type="checkbox" name="anonymous" value="yes" required/>
                                    " " {td_string!(t, forum_case_confirm)}
                                </label>
                                <button type="submit">{td_string!(t, forum_new_case)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=start attr:class="card post-form" attr:id="new-thread">
                                <h2>{td_string!(t, forum_new_thread)}</h2>
                                <ErrorNotice error/>
                                <input type="hidden" name="category" value=category.id.to_string()/>
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_thread_title)}</span>
                                    <input type="text" name="title" required maxlength="200"/>
                                </label>
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_post_label)}</span>
                                    <MentionField name="body".to_owned() category=category.id value=String::new()/>
                                </label>
                                <p class="hint">{td_string!(t, forum_markdown_hint)}</p>
                                <button type="submit">{td_string!(t, forum_new_thread)}</button>
                            </ActionForm>
                        }.into_any()
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// `/forum/threads/:id`: the posts, live; the reply form; facilitators' tools.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = route_id();
    let (quote, page, post) = use_query_map().with_untracked(|q| {
        (
            q.get("quote"),
            q.get("page").map(|page| page_number(&page)),
            q.get("post").and_then(|post| post.parse::<i64>().ok()),
        )
    });
    let data = Resource::new_blocking(
        move || (id, quote.clone(), page, post),
        |(id, quote, page, post)| load_thread(id, quote, page, post),
    );
    let reply_action = ServerAction::<Reply>::new();
    let pin = ServerAction::<PinThread>::new();
    let lock = ServerAction::<LockThread>::new();
    let move_action = ServerAction::<MoveThread>::new();
    // Forms inside posts are plain forms; their errors come back to this page.
    let delete = ServerAction::<DeletePost>::new();
    let hide = ServerAction::<HidePost>::new();
    let error = Signal::derive(move || {
        reply_action
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| delete.value().get().and_then(Result::err))
            .or_else(|| hide.value().get().and_then(Result::err))
            .or_else(|| pin.value().get().and_then(Result::err))
            .or_else(|| lock.value().get().and_then(Result::err))
            .or_else(|| move_action.value().get().and_then(Result::err))
    });
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let thread = match data.await {
                    Ok(thread) => thread,
                    Err(error) => return view! {
                        <Title text=td_string!(t, forum_title)/>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                };
                let thread_id = thread.id;
                let first_unread = thread.first_unread;
                let has_read_before = thread.read_before;
                let pages = thread.pages;
                let last_shown = thread.posts.last().map_or(0, |post| post.id);
                view! {
                    <Title text=thread.title.clone()/>
                    <p class="breadcrumb">
                        <a href=format!("/forum/cohorts/{}", thread.cohort)>{td_string!(t, forum_title)}</a> " › "
                        <a href=format!("/forum/categories/{}", thread.category.0)>{thread.category.1.clone()}</a>
                    </p>
                    <h1>
                        {thread.title.clone()}
                        {thread.is_case.then(|| view! { " " <span class="badge case">{td_string!(t, forum_case_badge)}</span> })}
                        {thread.pinned.then(|| view! { " " <span class="badge">{td_string!(t, forum_pinned)}</span> })}
                        {thread.locked.then(|| view! { " " <span class="badge">{td_string!(t, forum_locked)}</span> })}
                    </h1>
                    <ErrorNotice error/>
                    {thread.moderate.then(|| view! {
                        <div class="actions moderation" aria-label=td_string!(t, forum_moderation)>
                            <ActionForm action=pin>
                                <input type="hidden" name="thread" value=thread_id.to_string()/>
                                <input type="hidden" name="pinned" value=(!thread.pinned).to_string()/>
                                <button type="submit" class="secondary small">
                                    {if thread.pinned { td_string!(t, forum_unpin) } else { td_string!(t, forum_pin) }}
                                </button>
                            </ActionForm>
                            <ActionForm action=lock>
                                <input type="hidden" name="thread" value=thread_id.to_string()/>
                                <input type="hidden" name="locked" value=(!thread.locked).to_string()/>
                                <button type="submit" class="secondary small">
                                    {if thread.locked { td_string!(t, forum_unlock) } else { td_string!(t, forum_lock) }}
                                </button>
                            </ActionForm>
                            <ActionForm action=move_action attr:class="inline">
                                <input type="hidden" name="thread" value=thread_id.to_string()/>
                                <label>
                                    <span class="label">{td_string!(t, forum_move_to)}</span> " "
                                    <select name="category">
                                        {thread.move_targets.iter().map(|(id, name)| view! {
                                            <option value=id.to_string()>{name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </label>
                                " " <button type="submit" class="secondary small">{td_string!(t, forum_move)}</button>
                            </ActionForm>
                        </div>
                    })}
                    {(!thread.case_summary.is_empty()).then(|| view! {
                        <section class="card case-summary" aria-labelledby="case-summary">
                            <h2 id="case-summary">{td_string!(t, forum_case_summary)}</h2>
                            {thread.case_summary.iter().map(|(tag, replies)| view! {
                                <h3>{tag_name(t, *tag)} " (" {replies.len()} ")"</h3>
                                <ul>
                                    {replies.iter().map(|(post, author, excerpt)| view! {
                                        <li><a href=post_link(thread_id, *post)>{author.clone()}</a> ": " {excerpt.clone()}</li>
                                    }).collect_view()}
                                </ul>
                            }).collect_view()}
                        </section>
                    })}
                    <Pager pages base=format!("/forum/threads/{thread_id}") t/>
                    <LiveThread thread=thread.id after=thread.latest_event shown=last_shown
                        append=pages.is_last() labels=live_labels(t)/>
                    <div id="posts" class="posts">
                        {thread.posts.iter().cloned().map(|post| {
                            let divider = (has_read_before && Some(post.id) == first_unread).then(|| view! {
                                <p class="unread-divider" id="unread">{td_string!(t, forum_new_since_last_visit)}</p>
                            });
                            view! { {divider} <PostArticle post t/> }
                        }).collect_view()}
                    </div>
                    <Pager pages base=format!("/forum/threads/{thread_id}") t/>
                    {if thread.may_post {
                        let (quote_of, text) = match thread.quote.clone() {
                            Some((post, text)) => (post.to_string(), text),
                            None => (String::new(), String::new()),
                        };
                        view! {
                            <ActionForm action=reply_action attr:class="card post-form" attr:id="reply">
                                <h2>{td_string!(t, forum_reply)}</h2>
                                <input type="hidden" name="thread" value=thread_id.to_string()/>
                                <input type="hidden" name="quote_of" value=quote_of/>
                                {thread.is_case.then(|| view! {
                                    <label class="field">
                                        <span class="label">{td_string!(t, forum_tag_label)}</span>
                                        <select name="tag">
                                            <option value="">{td_string!(t, forum_tag_none)}</option>
                                            {ReplyTag::ALL.into_iter().map(|tag| view! {
                                                <option value=tag.code()>{tag_name(t, tag)}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                })}
                                <label class="field">
                                    <span class="label">{td_string!(t, forum_post_label)}</span>
                                    <MentionField name="body".to_owned() category=thread.category.0 value=text/>
                                </label>
                                <p class="hint">{td_string!(t, forum_markdown_hint)}</p>
                                <button type="submit">{td_string!(t, forum_send_reply)}</button>
                            </ActionForm>
                        }.into_any()
                    } else {
                        view! {
                            <p class="notice">
                                {if thread.locked { td_string!(t, forum_thread_is_locked) } else { td_string!(t, forum_read_only) }}
                            </p>
                        }.into_any()
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}
