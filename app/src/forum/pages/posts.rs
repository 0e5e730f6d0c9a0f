//! One post as a reader sees it (the same in the page and in a live update),
//! its edit page and its history.

use crate::components::{route_id, ErrorNotice, TextArea};
use crate::forum::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;

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
                    // selected, the live thread behaviour quotes just that, in place.
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
    let t = crate::i18n::locale(language);
    let owner = Owner::new();
    owner.with(|| view! { <PostArticle post t/> }.to_html())
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
