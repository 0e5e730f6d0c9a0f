//! `/forum` and a cohort's forum.

use crate::components::ErrorNotice;
use crate::forum::*;
use crate::i18n::*;
use crate::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;

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
