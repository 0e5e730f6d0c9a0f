//! The cohort forum: categories per module, cases and general talk, consultation
//! circles, threads whose new posts arrive live, moderation and notifications.
//!
//! Every page is a plain server-rendered page with plain forms, so reading and
//! posting work before (or without) the WebAssembly; the islands in `live.rs`
//! add live posts, the connection state and @mention suggestions.

mod circles;
mod live;
mod notifications;
mod posts;
mod threads;

pub use circles::*;
pub use live::*;
pub use notifications::*;
pub use posts::*;
pub use threads::*;

use crate::components::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::forum::CircleStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context, RequestContext, ViewerUser},
};
#[cfg(feature = "ssr")]
use kring_domain::forum::ForumAccess;

/// Where a post is read: its thread, at the page that holds it.
pub fn post_link(thread: i64, post: i64) -> String {
    format!("/forum/threads/{thread}?post={post}#post-{post}")
}

/// "1 thread" or "%count% threads": one form for one, the other for every other count.
pub fn counted(count: i64, one: &str, many: &str) -> String {
    if count == 1 {
        one.to_owned()
    } else {
        many.replace("%count%", &count.to_string())
    }
}

/// What a category is about, for its name and its new-thread form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CategoryTopic {
    /// A module's discussion, with the module's title in the reader's language.
    Module {
        module: i64,
        title: String,
    },
    Cases,
    General,
    /// A consultation circle's own category, named after its question.
    Circle {
        circle: i64,
        question: String,
    },
}

impl CategoryTopic {
    pub fn name(&self, t: Locale) -> String {
        match self {
            CategoryTopic::Module { title, .. } => title.clone(),
            CategoryTopic::Cases => td_string!(t, forum_cases).to_owned(),
            CategoryTopic::General => td_string!(t, forum_general).to_owned(),
            CategoryTopic::Circle { question, .. } => question.clone(),
        }
    }

    pub fn description(&self, t: Locale) -> &'static str {
        match self {
            CategoryTopic::Module { .. } => td_string!(t, forum_module_description),
            CategoryTopic::Cases => td_string!(t, forum_cases_description),
            CategoryTopic::General => td_string!(t, forum_general_description),
            CategoryTopic::Circle { .. } => td_string!(t, forum_circle_description),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub id: i64,
    pub topic: CategoryTopic,
    pub threads: i64,
    pub unread_threads: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleEntry {
    pub id: i64,
    pub category: i64,
    pub question: String,
    pub capacity: i64,
    pub member_count: i64,
    pub status: CircleStatus,
    pub member: bool,
    /// Members (id, name), for members and facilitators only.
    pub members: Vec<(i64, String)>,
    pub may_read: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForumView {
    pub cohort: i64,
    pub cohort_name: String,
    pub categories: Vec<CategoryEntry>,
    pub circles: Vec<CircleEntry>,
    pub staff: bool,
}

/// The cohorts whose forums the viewer may open: (id, name).
#[server(endpoint = "forum/cohorts")]
pub async fn load_forums() -> Result<Vec<(i64, String)>, AppError> {
    let context = request_context();
    let user = context.require_user()?;
    let member = (!user.role.may_facilitate()).then_some(user.id);
    Ok(db()
        .cohorts(member)
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .map(|cohort| (cohort.id.0, cohort.name))
        .collect())
}

/// The signed-in member or facilitator who may open `cohort`'s forum.
#[cfg(feature = "ssr")]
async fn require_forum_member(
    context: &RequestContext,
    cohort: kring_domain::CohortId,
) -> Result<&ViewerUser, AppError> {
    let user = context.require_user()?;
    let member = db()
        .is_cohort_member(user.id, cohort)
        .await
        .map_err(|e| context.internal(e))?;
    if ForumAccess::decide(user.role.may_facilitate(), member, None).read {
        Ok(user)
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// What `user` may do in `category`: the rules of [`ForumAccess::decide`] with
/// the memberships looked up.
#[cfg(feature = "ssr")]
pub async fn category_access(
    db: &kring_db::Db,
    user: &ViewerUser,
    category: &kring_db::Category,
) -> Result<ForumAccess, kring_db::DbError> {
    let staff = user.role.may_facilitate();
    let member = db.is_cohort_member(user.id, category.cohort).await?;
    let circle = match category.kind {
        kring_db::CategoryKind::Circle(circle) => Some((
            db.is_circle_member(circle, user.id).await?,
            db.circle(circle).await?.status,
        )),
        _ => None,
    };
    Ok(ForumAccess::decide(staff, member, circle))
}

/// `category` and what the requester may do there; 403 when they may not read it.
#[cfg(feature = "ssr")]
async fn require_category_reader(
    context: &RequestContext,
    category: kring_domain::CategoryId,
) -> Result<(&ViewerUser, kring_db::Category, ForumAccess), AppError> {
    let user = context.require_user()?;
    let db = db();
    let category = db
        .category(category)
        .await
        .map_err(|e| context.db_error(e))?;
    let access = category_access(&db, user, &category)
        .await
        .map_err(|e| context.internal(e))?;
    if !access.read {
        return Err(context.error(ErrorCode::Forbidden));
    }
    Ok((user, category, access))
}

/// `thread` and what the requester may do there; 403 when they may not read it.
#[cfg(feature = "ssr")]
async fn require_thread_reader(
    context: &RequestContext,
    thread: kring_domain::ThreadId,
) -> Result<(&ViewerUser, kring_db::ThreadRecord, ForumAccess), AppError> {
    let user = context.require_user()?;
    let db = db();
    let thread = db.thread(thread).await.map_err(|e| context.db_error(e))?;
    let access = category_access(&db, user, &thread.category)
        .await
        .map_err(|e| context.internal(e))?;
    if !access.read {
        return Err(context.error(ErrorCode::Forbidden));
    }
    Ok((user, thread, access))
}

/// Refuses a post or an edit when its author wrote too often in the last minute.
#[cfg(feature = "ssr")]
async fn check_posting_rate(context: &RequestContext, user: &ViewerUser) -> Result<(), AppError> {
    let now = kring_db::now();
    let (recent, oldest) = db()
        .posts_since(user.id, now - 60)
        .await
        .map_err(|e| context.internal(e))?;
    match kring_domain::forum::posting_wait(recent, oldest, now) {
        None => Ok(()),
        Some(seconds) => Err(context.error(ErrorCode::PostingTooFast { seconds })),
    }
}

/// Refuses a post or an edit where the requester may only read.
#[cfg(feature = "ssr")]
fn require_poster(context: &RequestContext, access: ForumAccess) -> Result<(), AppError> {
    if access.post {
        Ok(())
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// Only facilitators moderate.
#[cfg(feature = "ssr")]
fn require_moderator(context: &RequestContext, access: ForumAccess) -> Result<(), AppError> {
    if access.moderate {
        Ok(())
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// A category's topic in the reader's language.
#[cfg(feature = "ssr")]
async fn topic_of(
    context: &RequestContext,
    category: &kring_db::Category,
) -> Result<CategoryTopic, AppError> {
    let db = db();
    Ok(match category.kind {
        kring_db::CategoryKind::Module(module) => CategoryTopic::Module {
            module: module.0,
            title: db
                .module_title(module, context.viewer.language)
                .await
                .map_err(|e| context.internal(e))?,
        },
        kring_db::CategoryKind::Cases => CategoryTopic::Cases,
        kring_db::CategoryKind::General => CategoryTopic::General,
        kring_db::CategoryKind::Circle(circle) => CategoryTopic::Circle {
            circle: circle.0,
            question: db
                .circle(circle)
                .await
                .map_err(|e| context.internal(e))?
                .question,
        },
    })
}

/// A cohort's forum: its categories with unread counts, and its circles.
#[server(endpoint = "forum/cohort")]
pub async fn load_forum(cohort: i64) -> Result<ForumView, AppError> {
    use kring_domain::CohortId;
    let context = request_context();
    let cohort = CohortId(cohort);
    let user = require_forum_member(&context, cohort).await?;
    let db = db();
    let summary = db
        .cohorts(None)
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .find(|summary| summary.id == cohort)
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let categories = db
        .category_overview(cohort, user.id, context.viewer.language)
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .map(|overview| CategoryEntry {
            id: overview.category.id.0,
            topic: match overview.category.kind {
                kring_db::CategoryKind::Module(module) => CategoryTopic::Module {
                    module: module.0,
                    title: overview.module_title.unwrap_or_default(),
                },
                kring_db::CategoryKind::Cases => CategoryTopic::Cases,
                _ => CategoryTopic::General,
            },
            threads: overview.threads,
            unread_threads: overview.unread_threads,
        })
        .collect();
    let staff = user.role.may_facilitate();
    let mut circles = Vec::new();
    for circle in db.circles(cohort).await.map_err(|e| context.internal(e))? {
        let member = db
            .is_circle_member(circle.id, user.id)
            .await
            .map_err(|e| context.internal(e))?;
        // Archived circles leave the list for everyone but their members and facilitators.
        if circle.status == CircleStatus::Archived && !member && !staff {
            continue;
        }
        let members = if member || staff {
            db.circle_member_names(circle.id)
                .await
                .map_err(|e| context.internal(e))?
                .into_iter()
                .map(|(id, name)| (id.0, name))
                .collect()
        } else {
            Vec::new()
        };
        circles.push(CircleEntry {
            id: circle.id.0,
            category: circle.category.0,
            question: circle.question,
            capacity: circle.capacity,
            member_count: circle.member_count,
            status: circle.status,
            member,
            members,
            may_read: member || staff,
        });
    }
    Ok(ForumView {
        cohort: cohort.0,
        cohort_name: summary.name,
        categories,
        circles,
        staff,
    })
}

/// `/forum`: the forums the viewer belongs to.
#[component]
pub fn ForumsPage() -> impl IntoView {
    let t = use_viewer().locale();
    let data = Resource::new_blocking(|| (), |_| load_forums());
    view! {
        <Title text=td_string!(t, forum_title)/>
        <h1>{td_string!(t, forum_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(forums) if forums.is_empty() => view! { <p class="hint">{td_string!(t, forum_none)}</p> }.into_any(),
                    Ok(forums) => view! {
                        <ul class="forum-list">
                            {forums.into_iter().map(|(id, name)| view! {
                                <li class="card"><a href=format!("/forum/cohorts/{id}")>{name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/forum/cohorts/:id`: the categories, then the consultation circles.
#[component]
pub fn ForumPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = crate::components::route_id();
    let data = Resource::new_blocking(move || id, load_forum);
    let open = ServerAction::<OpenCircle>::new();
    let join = ServerAction::<JoinCircle>::new();
    let leave = ServerAction::<LeaveCircle>::new();
    let status = ServerAction::<SetCircleStatus>::new();
    let error = Signal::derive(move || {
        open.value()
            .get()
            .and_then(Result::err)
            .or_else(|| join.value().get().and_then(Result::err))
            .or_else(|| leave.value().get().and_then(Result::err))
            .or_else(|| status.value().get().and_then(Result::err))
    });
    view! {
        <ErrorNotice error/>
        <Suspense>
            {move || Suspend::new(async move {
                let forum = match data.await {
                    Ok(forum) => forum,
                    Err(error) => return view! {
                        <Title text=td_string!(t, forum_title)/>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                };
                let cohort = forum.cohort;
                view! {
                    <Title text=format!("{} · {}", td_string!(t, forum_title), forum.cohort_name)/>
                    <p class="breadcrumb"><a href="/forum">{td_string!(t, forum_title)}</a></p>
                    <h1>{forum.cohort_name.clone()}</h1>
                    <ul class="categories">
                        {forum.categories.iter().map(|category| view! {
                            <li class="card category">
                                <h2><a href=format!("/forum/categories/{}", category.id)>{category.topic.name(t)}</a></h2>
                                <p class="hint">{category.topic.description(t)}</p>
                                <p class="meta">
                                    {counted(category.threads, td_string!(t, forum_thread_count_one), td_string!(t, forum_thread_count))}
                                    {(category.unread_threads > 0).then(|| view! {
                                        " · " <strong class="unread">{td_string!(t, forum_unread_threads).replace("%count%", &category.unread_threads.to_string())}</strong>
                                    })}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                    <section class="circles" aria-labelledby="circles-heading">
                        <h2 id="circles-heading">{td_string!(t, circles_title)}</h2>
                        <p class="hint">{td_string!(t, circles_intro)}</p>
                        {forum.circles.is_empty().then(|| view! { <p class="hint">{td_string!(t, circles_none)}</p> })}
                        <ul class="circle-list">
                            {forum.circles.iter().cloned().map(|circle| view! {
                                <CircleCard circle staff=forum.staff join leave status/>
                            }).collect_view()}
                        </ul>
                        {forum.staff.then(|| view! {
                            <ActionForm action=open attr:class="card open-circle">
                                <h3>{td_string!(t, circles_open)}</h3>
                                <input type="hidden" name="cohort" value=cohort.to_string()/>
                                <label class="field">
                                    <span class="label">{td_string!(t, circles_question)}</span>
                                    <input type="text" name="question" required maxlength="200"/>
                                </label>
                                <label class="field">
                                    <span class="label">{td_string!(t, circles_capacity)}</span>
                                    <input type="number" name="capacity" min="1" max="10" value="10" required/>
                                </label>
                                <button type="submit">{td_string!(t, circles_open)}</button>
                            </ActionForm>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_reads_differently_from_every_other_count() {
        for (count, expected) in [
            (0, "0 threads"),
            (1, "1 thread"),
            (2, "2 threads"),
            (21, "21 threads"),
        ] {
            assert_eq!(counted(count, "1 thread", "%count% threads"), expected);
        }
    }
}
