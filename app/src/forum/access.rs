//! Who may do what in the forum, checked in one place on the server: forum
//! membership, reading a category or thread, posting, moderating, editing a
//! post, and how a post reads to one reader. Server only.

use crate::error::{AppError, ErrorCode};
use crate::forum::*;
use crate::viewer::{db, RequestContext, ViewerUser};
use kring_domain::forum::ForumAccess;
use kring_domain::PostId;

/// The signed-in member or facilitator who may open `cohort`'s forum.
pub(crate) async fn require_forum_member(
    context: &RequestContext,
    cohort: kring_domain::CohortId,
) -> Result<&ViewerUser, AppError> {
    let user = context.require_user()?;
    let member = db().is_cohort_member(user.id, cohort).await?;
    if ForumAccess::decide(context.runs(Some(cohort)).await?, member, None).read {
        Ok(user)
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// What `user` may do in `category`: the rules of [`ForumAccess::decide`] with
/// the memberships looked up.
pub async fn category_access(
    db: &kring_db::Db,
    user: &ViewerUser,
    category: &kring_db::Category,
) -> Result<ForumAccess, kring_db::DbError> {
    Ok(access_of(user, &db.standing(user.id, category).await?))
}

/// What `user` may do where they stand so.
fn access_of(user: &ViewerUser, standing: &kring_db::Standing) -> ForumAccess {
    ForumAccess::decide(
        user.role.runs_cohort(standing.assigned),
        standing.member,
        standing.circle,
    )
}

/// Someone who reads a consultation circle without being one of its members
/// (a facilitator, an admin) leaves a trace its members see, recorded before
/// anything of the circle is served: if it cannot be recorded, nothing is
/// shown. One entry per person and day.
pub async fn record_outsider_read(
    db: &kring_db::Db,
    user: &ViewerUser,
    category: &kring_db::Category,
) -> Result<(), kring_db::DbError> {
    match category.kind {
        kring_db::CategoryKind::Circle(circle) => {
            record_outsider_circle_read(db, user, circle, category.cohort).await
        }
        _ => Ok(()),
    }
}

/// [`record_outsider_read`] for `circle` of `cohort`, wherever its posts are
/// about to be shown (a thread, a search result).
pub async fn record_outsider_circle_read(
    db: &kring_db::Db,
    user: &ViewerUser,
    circle: kring_domain::CircleId,
    cohort: kring_domain::CohortId,
) -> Result<(), kring_db::DbError> {
    use kring_db::{AuditAction, NewAudit};
    if db.is_circle_member(circle, user.id).await? {
        return Ok(());
    }
    db.record_audit(
        &NewAudit::new(AuditAction::CircleRead, Some((user.id, user.role)))
            .circle(circle)
            .cohort(cohort),
    )
    .await
}

/// `category` and what the requester may do there; 403 when they may not read it.
pub(crate) async fn require_category_reader(
    context: &RequestContext,
    category: kring_domain::CategoryId,
) -> Result<(&ViewerUser, kring_db::Category, ForumAccess), AppError> {
    let user = context.require_user()?;
    let (category, standing) = db().category_for(category, user.id).await?;
    let access = require_reader(context, user, &category, &standing).await?;
    Ok((user, category, access))
}

/// What `category`'s page shows before its threads, and what the requester may
/// do there; 403 when they may not read it.
pub(crate) async fn require_category_page_reader(
    context: &RequestContext,
    category: kring_domain::CategoryId,
) -> Result<(&ViewerUser, kring_db::CategoryHead, ForumAccess), AppError> {
    let user = context.require_user()?;
    let language = context.viewer.language;
    let head = db().category_head(category, user.id, language).await?;
    let access = require_reader(context, user, &head.category, &head.standing).await?;
    Ok((user, head, access))
}

/// `thread` and what the requester may do there; 403 when they may not read it.
pub(crate) async fn require_thread_reader(
    context: &RequestContext,
    thread: kring_domain::ThreadId,
) -> Result<(&ViewerUser, kring_db::ThreadRecord, ForumAccess), AppError> {
    let user = context.require_user()?;
    let (thread, standing) = db().thread_for(thread, user.id).await?;
    let access = require_reader(context, user, &thread.category, &standing).await?;
    Ok((user, thread, access))
}

/// What `thread`'s page shows before its posts (opening at `post` when given),
/// and what the requester may do there; 403 when they may not read it.
pub(crate) async fn require_thread_page_reader(
    context: &RequestContext,
    thread: kring_domain::ThreadId,
    post: Option<PostId>,
) -> Result<(&ViewerUser, kring_db::ThreadHead, ForumAccess), AppError> {
    let user = context.require_user()?;
    let language = context.viewer.language;
    let head = db().thread_head(thread, user.id, post, language).await?;
    let access = require_reader(context, user, &head.thread.category, &head.standing).await?;
    Ok((user, head, access))
}

/// What `user`, standing so towards `category`, may do there; 403 when they may
/// not read it. Whatever is read next is the circle's: an outsider's read is
/// recorded first.
async fn require_reader(
    context: &RequestContext,
    user: &ViewerUser,
    category: &kring_db::Category,
    standing: &kring_db::Standing,
) -> Result<ForumAccess, AppError> {
    let access = access_of(user, standing);
    if !access.read {
        return Err(context.error(ErrorCode::Forbidden));
    }
    record_outsider_read(&db(), user, category).await?;
    Ok(access)
}

/// Refuses a post or an edit when its author wrote too often in the last minute.
pub(crate) async fn check_posting_rate(
    context: &RequestContext,
    user: &ViewerUser,
) -> Result<(), AppError> {
    let now = kring_db::now();
    let (recent, oldest) = db().posts_since(user.id, now - 60).await?;
    match kring_domain::forum::posting_wait(recent, oldest, now) {
        None => Ok(()),
        Some(seconds) => Err(context.error(ErrorCode::PostingTooFast { seconds })),
    }
}

/// Refuses a post or an edit where the requester may only read.
pub(crate) fn require_poster(
    context: &RequestContext,
    access: ForumAccess,
) -> Result<(), AppError> {
    if access.post {
        Ok(())
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// Only facilitators moderate.
pub(crate) fn require_moderator(
    context: &RequestContext,
    access: ForumAccess,
) -> Result<(), AppError> {
    if access.moderate {
        Ok(())
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// `category`'s topic, called `name` (a module's title, a circle's question).
pub(crate) fn topic_named(
    category: &kring_db::Category,
    name: Option<String>,
) -> Result<CategoryTopic, kring_db::DbError> {
    Ok(match (category.kind, name) {
        (kring_db::CategoryKind::Module(module), Some(title)) => CategoryTopic::Module {
            module: module.0,
            title,
        },
        (kring_db::CategoryKind::Circle(circle), Some(question)) => CategoryTopic::Circle {
            circle: circle.0,
            question,
        },
        (kring_db::CategoryKind::Cases, _) => CategoryTopic::Cases,
        (kring_db::CategoryKind::General, _) => CategoryTopic::General,
        (kring_db::CategoryKind::Module(_) | kring_db::CategoryKind::Circle(_), None) => {
            return Err(kring_db::DbError::NotFound)
        }
    })
}

/// Who a post is rendered for.
pub struct PostReader {
    pub user: kring_domain::UserId,
    /// Runs the thread's cohort: sees why a post was hidden, and hides posts.
    pub staff: bool,
    pub may_post: bool,
    pub zone: kring_domain::TimeZone,
    pub language: kring_domain::Language,
}

impl PostReader {
    /// A reader of `thread`, with what `access` lets them do there (nobody
    /// posts or edits in a locked thread).
    pub fn new(
        context: &RequestContext,
        user: &ViewerUser,
        access: ForumAccess,
        thread: &kring_db::ThreadRecord,
    ) -> Self {
        PostReader {
            user: user.id,
            staff: access.moderate,
            may_post: access.post && !thread.locked,
            zone: context.time_zone(),
            language: context.viewer.language,
        }
    }
}

/// Everything about a reader that shapes how a post reads to them: readers
/// alike in it see the same HTML, so a live post is rendered once per look,
/// not once per reader.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostLook {
    /// The reader wrote the post.
    mine: bool,
    staff: bool,
    may_post: bool,
    zone: kring_domain::TimeZone,
    pub language: kring_domain::Language,
}

impl PostReader {
    /// How `post` looks to this reader.
    pub fn look_at(&self, post: &kring_db::PostRecord) -> PostLook {
        PostLook {
            mine: post.author_id == Some(self.user),
            staff: self.staff,
            may_post: self.may_post,
            zone: self.zone.clone(),
            language: self.language,
        }
    }
}

impl PostView {
    /// `post` as `reader` sees it; `html` is its body rendered (`markdown::render`).
    pub fn for_reader(
        thread: kring_domain::ThreadId,
        post: &kring_db::PostRecord,
        html: &str,
        reader: &PostReader,
    ) -> Self {
        Self::in_look(thread, post, html, &reader.look_at(post))
    }

    /// `post` as every reader with `look` sees it.
    pub fn in_look(
        thread: kring_domain::ThreadId,
        post: &kring_db::PostRecord,
        html: &str,
        look: &PostLook,
    ) -> Self {
        let mine = look.mine;
        let state = if post.deleted {
            PostState::Removed
        } else if let Some(reason) = &post.hidden_reason {
            PostState::Hidden {
                reason: (mine || look.staff).then(|| reason.clone()),
            }
        } else {
            PostState::Visible
        };
        let readable = match &state {
            PostState::Visible => true,
            PostState::Removed => false,
            PostState::Hidden { .. } => mine || look.staff,
        };
        PostView {
            id: post.id.0,
            thread: thread.0,
            author: crate::i18n::person_name(
                crate::i18n::locale(look.language),
                post.author.as_deref(),
            ),
            html: readable.then(|| html.to_owned()),
            tag: post.tag,
            quote_of: post.quote_of.map(|quoted| quoted.0),
            when: kring_domain::time_text::moment(post.created_at, &look.zone, look.language),
            edited: post.edited,
            mine,
            may_quote: look.may_post && state == PostState::Visible,
            may_edit: mine && look.may_post && state == PostState::Visible,
            may_hide: look.staff && state == PostState::Visible,
            state,
        }
    }
}

/// A post with its thread and what the requester may do there; 403 when
/// they may not read the thread.
pub(crate) async fn readable_post(
    context: &RequestContext,
    post: i64,
) -> Result<
    (
        &ViewerUser,
        kring_db::ThreadRecord,
        kring_db::PostRecord,
        ForumAccess,
    ),
    AppError,
> {
    let (thread, record) = db().post(PostId(post)).await?;
    let (user, thread, access) = require_thread_reader(context, thread).await?;
    Ok((user, thread, record, access))
}

/// Only its author edits or removes a post.
pub(crate) fn require_author(
    context: &RequestContext,
    user: &ViewerUser,
    post: &kring_db::PostRecord,
) -> Result<(), AppError> {
    if post.author_id == Some(user.id) {
        Ok(())
    } else {
        Err(context.error(ErrorCode::Forbidden))
    }
}

/// Where a post's thread shows it.
pub(crate) fn thread_anchor(thread: kring_domain::ThreadId, post: PostId) -> String {
    post_link(thread.0, post.0)
}

/// Whether `user` may change the text of `post` in `thread` now: only its
/// author, only where they may post, not in a locked thread, not once hidden
/// or removed. The edit form and the edit itself ask the same.
pub(crate) fn require_editable(
    context: &RequestContext,
    user: &ViewerUser,
    thread: &kring_db::ThreadRecord,
    post: &kring_db::PostRecord,
    access: ForumAccess,
) -> Result<(), AppError> {
    require_author(context, user, post)?;
    require_poster(context, access)?;
    if thread.locked {
        return Err(context.error(ErrorCode::ThreadLocked));
    }
    if post.deleted || post.hidden_reason.is_some() {
        return Err(context.error(ErrorCode::Forbidden));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kring_domain::{Language, ThreadId, TimeZone, UserId};

    fn reader(user: i64, zone: &str, language: Language) -> PostReader {
        PostReader {
            user: UserId(user),
            staff: false,
            may_post: true,
            zone: TimeZone::parse(zone).unwrap(),
            language,
        }
    }

    #[test]
    fn a_post_looks_the_same_to_readers_alike_and_differs_for_its_author_staff_zone_and_language() {
        let post = kring_db::PostRecord {
            id: PostId(3),
            author_id: Some(UserId(1)),
            author: Some("Lucía".into()),
            body: "Hola".into(),
            tag: None,
            quote_of: None,
            created_at: 1_780_000_000,
            edited: false,
            deleted: false,
            hidden_reason: Some("Names a school".into()),
        };
        let look = |reader: &PostReader| reader.look_at(&post);
        let member = reader(2, "Africa/Accra", Language::En);
        assert_eq!(
            look(&member),
            look(&reader(9, "Africa/Accra", Language::En))
        );
        let author = reader(1, "Africa/Accra", Language::En);
        let staff = PostReader {
            staff: true,
            ..reader(4, "Africa/Accra", Language::En)
        };
        let read_only = PostReader {
            may_post: false,
            ..reader(5, "Africa/Accra", Language::En)
        };
        for other in [
            author,
            staff,
            read_only,
            reader(6, "Asia/Yerevan", Language::En),
            reader(7, "Africa/Accra", Language::De),
        ] {
            assert_ne!(look(&member), look(&other));
            // A look makes the very view its reader gets.
            let html = "<p>Hola</p>";
            assert_eq!(
                PostView::in_look(ThreadId(1), &post, html, &look(&other)),
                PostView::for_reader(ThreadId(1), &post, html, &other)
            );
        }
        // A hidden post's text and reason stay with its author and staff.
        let hidden = PostView::in_look(ThreadId(1), &post, "<p>Hola</p>", &look(&member));
        assert_eq!(hidden.html, None);
        assert_eq!(hidden.state, PostState::Hidden { reason: None });
    }
}
