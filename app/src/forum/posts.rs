//! One post as a reader sees it, the same whether the thread page renders it
//! or a live update delivers it; editing, removing and hiding posts.

use super::*;
use crate::components::{route_id, TextArea};
use kring_domain::forum::ReplyTag;

#[cfg(feature = "ssr")]
use kring_domain::PostId;

/// What became of a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostState {
    Visible,
    /// Removed by its author: its place stays in the thread.
    Removed,
    /// Hidden by a facilitator. The author and facilitators see why, and the text.
    Hidden {
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: i64,
    pub thread: i64,
    pub author: String,
    /// The rendered, sanitised Markdown; `None` when this reader may not see it.
    pub html: Option<String>,
    pub tag: Option<ReplyTag>,
    pub quote_of: Option<i64>,
    /// When it was written, in the reader's zone and language.
    pub when: String,
    pub edited: bool,
    pub state: PostState,
    pub mine: bool,
    /// The reader may quote it in a reply.
    pub may_quote: bool,
    /// The reader wrote it and may still change it.
    pub may_edit: bool,
    pub may_hide: bool,
}

/// Who a post is rendered for.
#[cfg(feature = "ssr")]
pub struct PostReader {
    pub user: kring_domain::UserId,
    pub staff: bool,
    pub may_post: bool,
    pub zone: kring_domain::TimeZone,
    pub language: kring_domain::Language,
}

#[cfg(feature = "ssr")]
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
            staff: user.role.may_facilitate(),
            may_post: access.post && !thread.locked,
            zone: context.time_zone(),
            language: context.viewer.language,
        }
    }
}

#[cfg(feature = "ssr")]
impl PostView {
    /// `post` as `reader` sees it; `html` is its body rendered (`markdown::render`).
    pub fn for_reader(
        thread: kring_domain::ThreadId,
        post: &kring_db::PostRecord,
        html: &str,
        reader: &PostReader,
    ) -> Self {
        let mine = post.author_id == Some(reader.user);
        let state = if post.deleted {
            PostState::Removed
        } else if let Some(reason) = &post.hidden_reason {
            PostState::Hidden {
                reason: (mine || reader.staff).then(|| reason.clone()),
            }
        } else {
            PostState::Visible
        };
        let readable = match &state {
            PostState::Visible => true,
            PostState::Removed => false,
            PostState::Hidden { .. } => mine || reader.staff,
        };
        PostView {
            id: post.id.0,
            thread: thread.0,
            author: post.author.clone().unwrap_or_default(),
            html: readable.then(|| html.to_owned()),
            tag: post.tag,
            quote_of: post.quote_of.map(|quoted| quoted.0),
            when: kring_domain::time_text::moment(post.created_at, &reader.zone, reader.language),
            edited: post.edited,
            mine,
            may_quote: reader.may_post && state == PostState::Visible,
            may_edit: mine && reader.may_post && state == PostState::Visible,
            may_hide: reader.staff && state == PostState::Visible,
            state,
        }
    }
}

pub fn tag_name(t: Locale, tag: ReplyTag) -> &'static str {
    match tag {
        ReplyTag::Question => td_string!(t, forum_tag_question),
        ReplyTag::Perspective => td_string!(t, forum_tag_perspective),
        ReplyTag::Suggestion => td_string!(t, forum_tag_suggestion),
    }
}

/// One post. Its forms are plain forms: the same markup works in the page and
/// when a live update inserts it.
#[component]
pub fn PostArticle(post: PostView, t: Locale) -> impl IntoView {
    let id = post.id;
    let class = match post.state {
        PostState::Visible => "post",
        PostState::Removed => "post removed",
        PostState::Hidden { .. } => "post hidden",
    };
    let delete_path = <DeletePost as leptos::server_fn::ServerFn>::PATH;
    let hide_path = <HidePost as leptos::server_fn::ServerFn>::PATH;
    view! {
        <article id=format!("post-{id}") class=class data-post=id.to_string()>
            <header class="post-meta">
                <strong class="author">{post.author.clone()}</strong>
                " · "
                <a class="when" href=format!("#post-{id}")>{post.when.clone()}</a>
                {post.tag.map(|tag| view! { <span class=format!("tag {}", tag.code())>{tag_name(t, tag)}</span> })}
                {post.quote_of.map(|quoted| view! {
                    <a class="quoting" href=post_link(post.thread, quoted)>{td_string!(t, forum_quoting)}</a>
                })}
                {post.edited.then(|| view! {
                    <a class="edited" href=format!("/forum/posts/{id}/history")>{td_string!(t, forum_edited)}</a>
                })}
            </header>
            {match post.state.clone() {
                PostState::Removed => view! { <p class="hint">{td_string!(t, forum_post_removed)}</p> }.into_any(),
                PostState::Hidden { reason } => view! {
                    <p class="notice">
                        {td_string!(t, forum_post_hidden)}
                        {reason.map(|reason| view! { " " {td_string!(t, forum_hidden_reason)} " " <em>{reason}</em> })}
                    </p>
                }.into_any(),
                PostState::Visible => ().into_any(),
            }}
            {post.html.clone().map(|html| view! { <div class="post-body" inner_html=html></div> })}
            <footer class="post-actions">
                {post.may_quote.then(|| view! {
                    // Follows to a reply form quoting the whole post; with a passage
                    // selected, the `LiveThread` island quotes just that, in place.
                    <a href=format!("/forum/threads/{}?quote={id}#reply", post.thread)
                        data-quote=id.to_string() data-author=post.author.clone()>{td_string!(t, forum_quote)}</a>
                })}
                {post.may_edit.then(|| view! {
                    <a href=format!("/forum/posts/{id}/edit")>{td_string!(t, forum_edit)}</a>
                })}
                {(post.mine && post.state != PostState::Removed).then(|| view! {
                    <form method="post" action=delete_path class="inline">
                        <input type="hidden" name="post" value=id.to_string()/>
                        <button type="submit" class="link">{td_string!(t, forum_delete)}</button>
                    </form>
                })}
                {post.may_hide.then(|| view! {
                    <details class="hide-post">
                        <summary>{td_string!(t, forum_hide)}</summary>
                        <form method="post" action=hide_path>
                            <input type="hidden" name="post" value=id.to_string()/>
                            <label class="field">
                                <span class="label">{td_string!(t, forum_hide_reason)}</span>
                                <input type="text" name="reason" required maxlength="500"/>
                            </label>
                            <button type="submit" class="secondary small">{td_string!(t, forum_hide)}</button>
                        </form>
                    </details>
                })}
            </footer>
        </article>
    }
}

/// A post as HTML for one reader, for live updates.
#[cfg(feature = "ssr")]
pub fn post_html(post: PostView, language: kring_domain::Language) -> String {
    use leptos::tachys::view::RenderHtml;
    let t = crate::error::locale(language);
    let owner = Owner::new();
    owner.with(|| view! { <PostArticle post t/> }.to_html())
}

/// A post with its thread and what the requester may do there; 403 when
/// they may not read the thread.
#[cfg(feature = "ssr")]
async fn readable_post(
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
    let (thread, record) = db()
        .post(PostId(post))
        .await
        .map_err(|e| context.db_error(e))?;
    let (user, thread, access) = require_thread_reader(context, thread).await?;
    Ok((user, thread, record, access))
}

/// Only its author edits or removes a post.
#[cfg(feature = "ssr")]
fn require_author(
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
#[cfg(feature = "ssr")]
fn thread_anchor(thread: kring_domain::ThreadId, post: PostId) -> String {
    post_link(thread.0, post.0)
}

/// Whether `user` may change the text of `post` in `thread` now: only its
/// author, only where they may post, not in a locked thread, not once hidden
/// or removed. The edit form and the edit itself ask the same.
#[cfg(feature = "ssr")]
fn require_editable(
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

/// The author replaces their post's text; the old text stays in its history.
/// Editing follows the rules of posting, its rate included.
#[server(endpoint = "forum/posts/edit")]
pub async fn edit_post(post: i64, body: String) -> Result<(), AppError> {
    use kring_domain::forum::PostBody;
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    require_editable(&context, user, &thread, &record, access)?;
    let body = PostBody::parse(&body).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    check_posting_rate(&context, user).await?;
    db().edit_post(record.id, user.id, &body)
        .await
        .map_err(|e| context.db_error(e))?
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    crate::navigation::redirect(&thread_anchor(thread.id, record.id));
    Ok(())
}

/// The author removes their post; the thread shows it as removed.
#[server(endpoint = "forum/posts/delete")]
pub async fn delete_post(post: i64) -> Result<(), AppError> {
    let context = request_context();
    let (user, thread, record, _) = readable_post(&context, post).await?;
    require_author(&context, user, &record)?;
    db().delete_post(record.id, user.id)
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect(&thread_anchor(thread.id, record.id));
    Ok(())
}

/// A facilitator hides a post, with a reason its author sees.
#[server(endpoint = "forum/posts/hide")]
pub async fn hide_post(post: i64, reason: String) -> Result<(), AppError> {
    use kring_domain::forum::HideReason;
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    require_moderator(&context, access)?;
    let reason = HideReason::parse(&reason).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    db().hide_post(record.id, user.id, &reason)
        .await
        .map_err(|e| context.db_error(e))?;
    crate::navigation::redirect(&thread_anchor(thread.id, record.id));
    Ok(())
}

/// A post's current text for its author's edit form, with its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditablePost {
    pub id: i64,
    pub thread: i64,
    pub thread_title: String,
    pub body: String,
}

#[server(endpoint = "forum/posts/editable")]
pub async fn load_editable_post(post: i64) -> Result<EditablePost, AppError> {
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    require_editable(&context, user, &thread, &record, access)?;
    Ok(EditablePost {
        id: record.id.0,
        thread: thread.id.0,
        thread_title: thread.title,
        body: record.body,
    })
}

/// A post's earlier texts, for everyone who may read the thread (as long as
/// the post itself is readable to them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub post: PostView,
    /// (text, replaced at), oldest first.
    pub earlier: Vec<(String, String)>,
}

#[server(endpoint = "forum/posts/history")]
pub async fn load_post_history(post: i64) -> Result<PostHistory, AppError> {
    let context = request_context();
    let (user, thread, record, access) = readable_post(&context, post).await?;
    let reader = PostReader::new(&context, user, access, &thread);
    let html = kring_domain::markdown::render(&record.body);
    let view = PostView::for_reader(thread.id, &record, &html, &reader);
    let earlier = if view.html.is_some() {
        db().post_history(record.id)
            .await
            .map_err(|e| context.internal(e))?
            .into_iter()
            .map(|(body, at)| {
                let when = kring_domain::time_text::moment(at, &reader.zone, reader.language);
                (body, when)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(PostHistory {
        post: view,
        earlier,
    })
}

/// `/forum/posts/:id/edit`
#[component]
pub fn EditPostPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = route_id();
    let data = Resource::new_blocking(move || id, load_editable_post);
    let save = ServerAction::<EditPost>::new();
    view! {
        <Title text=td_string!(t, forum_edit_title)/>
        <h1>{td_string!(t, forum_edit_title)}</h1>
        <ErrorNotice error=Signal::derive(move || save.value().get().and_then(Result::err))/>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(post) => view! {
                        <p class="breadcrumb"><a href=post_link(post.thread, post.id)>{post.thread_title.clone()}</a></p>
                        <ActionForm action=save attr:class="post-form">
                            <input type="hidden" name="post" value=post.id.to_string()/>
                            <label class="field">
                                <span class="label">{td_string!(t, forum_post_label)}</span>
                                <TextArea name="body" text=post.body.clone() attr:rows="10" attr:required=true attr:maxlength="50000"/>
                            </label>
                            <p class="hint">{td_string!(t, forum_edit_hint)}</p>
                            <button type="submit">{td_string!(t, forum_save)}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/forum/posts/:id/history`: the post now, then its earlier texts.
#[component]
pub fn PostHistoryPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = route_id();
    let data = Resource::new_blocking(move || id, load_post_history);
    view! {
        <Title text=td_string!(t, forum_history_title)/>
        <h1>{td_string!(t, forum_history_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(history) => view! {
                        <p class="breadcrumb"><a href=post_link(history.post.thread, history.post.id)>{td_string!(t, forum_back_to_thread)}</a></p>
                        <PostArticle post=history.post.clone() t/>
                        <h2>{td_string!(t, forum_earlier_versions)}</h2>
                        {history.earlier.is_empty().then(|| view! { <p class="hint">{td_string!(t, forum_no_earlier_versions)}</p> })}
                        <ol class="post-versions">
                            {history.earlier.iter().rev().map(|(body, when)| view! {
                                <li class="card">
                                    <p class="meta">{td_string!(t, forum_replaced_at).replace("%when%", when)}</p>
                                    <pre class="version">{body.clone()}</pre>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
