//! A category's threads, and a thread with its posts and reply form.

use crate::components::{page_number, route_id, AuditLines, ErrorNotice, Notice, Pager, TextArea};
use crate::forum::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::forum::ReplyTag;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
                    {category.circle_log.clone().map(|lines| view! { <CircleLog lines/> })}
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
    let keep = ServerAction::<KeepCase>::new();
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
            .or_else(|| keep.value().get().and_then(Result::err))
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
                            {thread.is_case.then(|| view! {
                                <ActionForm action=keep>
                                    <input type="hidden" name="thread" value=thread_id.to_string()/>
                                    <input type="hidden" name="kept" value=(!thread.kept_for_cohort).to_string()/>
                                    <button type="submit" class="secondary small" title=td_string!(t, forum_keep_case_hint)>
                                        {if thread.kept_for_cohort { td_string!(t, forum_unkeep_case) } else { td_string!(t, forum_keep_case) }}
                                    </button>
                                </ActionForm>
                            })}
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

/// A circle's audit log, for its members: who read it without being a
/// member, who joined or left, and what facilitators changed.
#[component]
fn CircleLog(lines: Vec<(String, String)>) -> impl IntoView {
    let t = use_viewer().locale();
    view! {
        <section class="card circle-log" id="circle-log" aria-labelledby="circle-log-heading">
            <h2 id="circle-log-heading">{td_string!(t, circle_log_title)}</h2>
            <p class="hint">{td_string!(t, circle_log_intro)}</p>
            <AuditLines lines/>
        </section>
    }
}
