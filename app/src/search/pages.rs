//! `/search?q=familia&lang=es&in=forum&page=2`: the search form and its results.

use super::*;
use crate::components::ErrorNotice;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What a search link asks for.
#[derive(Debug, Clone, PartialEq)]
struct Asked {
    query: String,
    language: Language,
    scope: Scope,
    /// From 0; links count from 1.
    page: i64,
}

impl Asked {
    /// The link to `page` (from 0) of `scope`'s results for the same words.
    fn link(&self, scope: Scope, page: i64) -> String {
        use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
        format!(
            "/search?q={}&lang={}&in={}&page={}",
            utf8_percent_encode(&self.query, NON_ALPHANUMERIC),
            self.language.code(),
            scope.code(),
            page + 1
        )
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let asked = use_query_map().with_untracked(|q| Asked {
        query: q.get("q").unwrap_or_default(),
        language: q
            .get("lang")
            .and_then(|code| Language::parse(&code).ok())
            .unwrap_or(viewer.language),
        scope: Scope::parse(q.get("in").as_deref()),
        // One list pages on; looking everywhere shows the first page of each.
        page: q
            .get("page")
            .map_or(0, |page| crate::components::page_number(&page)),
    });
    let searched = !asked.query.trim().is_empty();
    let page = if asked.scope == Scope::Everywhere {
        0
    } else {
        asked.page
    };
    let units = Resource::new_blocking(
        {
            let asked = asked.clone();
            move || asked.clone()
        },
        move |asked| async move {
            if !searched || !asked.scope.has_units() {
                return Ok(None);
            }
            search_units(
                asked.query,
                Some(asked.language.code().to_owned()),
                Some(page),
            )
            .await
            .map(Some)
        },
    );
    let posts = Resource::new_blocking(
        {
            let asked = asked.clone();
            move || asked.clone()
        },
        move |asked| async move {
            if !searched || !asked.scope.has_posts() {
                return Ok(None);
            }
            search_posts(asked.query, Some(page)).await.map(Some)
        },
    );
    let scope_name = move |scope: Scope| match scope {
        Scope::Everywhere => td_string!(t, search_everywhere),
        Scope::Units => td_string!(t, search_units),
        Scope::Forum => td_string!(t, search_posts),
    };
    let shown = asked.clone();
    view! {
        <Title text=td_string!(t, search_title)/>
        <h1>{td_string!(t, search_title)}</h1>
        <form method="get" action="/search" class="card search-form" role="search">
            <label class="field">
                <span class="label">{td_string!(t, search_label)}</span>
                <input type="search" name="q" value=asked.query.clone() maxlength="200" required/>
            </label>
            <label class="field">
                <span class="label">{td_string!(t, search_scope)}</span>
                <select name="in">
                    {Scope::ALL.map(|scope| view! {
                        <option value=scope.code() selected=scope == asked.scope>{scope_name(scope)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">{td_string!(t, search_language)}</span>
                <select name="lang">
                    {Language::ALL.map(|l| view! { <option value=l.code() selected=l == asked.language>{language_name(t, l)}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit">{td_string!(t, search_button)}</button>
        </form>
        <Suspense>
            {move || {
                let asked = shown.clone();
                Suspend::new(async move {
                    let units = units.await;
                    let posts = posts.await;
                    // Both lists refuse the same words alike: one notice is enough.
                    let units_refused = units.is_err();
                    view! {
                        {match units {
                            Err(error) => Some(view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any()),
                            Ok(None) => None,
                            Ok(Some(found)) => Some(view! { <UnitResults found asked=asked.clone()/> }.into_any()),
                        }}
                        {match posts {
                            Err(_) if units_refused => None,
                            Err(error) => Some(view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any()),
                            Ok(None) => None,
                            Ok(Some(found)) => Some(view! { <PostResults found asked=asked.clone()/> }.into_any()),
                        }}
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn UnitResults(found: ResultPage<UnitResult>, asked: Asked) -> impl IntoView {
    let t = use_viewer().locale();
    let language = asked.language;
    view! {
        <section class="search-section" aria-labelledby="found-units">
            <h2 id="found-units">{td_string!(t, search_units)}</h2>
            {found.results.is_empty().then(|| view! { <p>{td_string!(t, search_nothing)}</p> })}
            <ol class="search-results" lang=language.code()>
                {found.results.into_iter().map(|result| view! {
                    <li class="card">
                        <h3><a href=format!("/units/{}?lang={}", result.unit, language.code())>{result.title}</a></h3>
                        <p class="meta">{result.module_title}</p>
                        <Snippet parts=result.snippet/>
                    </li>
                }).collect_view()}
            </ol>
            <MoreResults asked scope=Scope::Units more=found.more/>
        </section>
    }
}

#[component]
fn PostResults(found: ResultPage<PostResult>, asked: Asked) -> impl IntoView {
    let t = use_viewer().locale();
    view! {
        <section class="search-section" aria-labelledby="found-posts">
            <h2 id="found-posts">{td_string!(t, search_posts)}</h2>
            {if found.results.is_empty() {
                view! { <p>{td_string!(t, search_no_posts)}</p> }.into_any()
            } else {
                view! { <p class="hint">{td_string!(t, search_posts_order)}</p> }.into_any()
            }}
            <ol class="search-results">
                {found.results.into_iter().map(|result| view! {
                    <li class="card" data-post=result.post.to_string()>
                        <h3>
                            <a href=format!("/forum/threads/{}?post={}#post-{}", result.thread, result.post, result.post)>
                                {result.thread_title}
                            </a>
                        </h3>
                        <p class="meta">
                            {result.is_case.then(|| view! { <span class="badge case">{td_string!(t, forum_case_badge)}</span> " " })}
                            {result.in_circle.then(|| view! { <span class="badge">{td_string!(t, search_circle_badge)}</span> " " })}
                            {result.author} " · " {result.when}
                        </p>
                        <Snippet parts=result.snippet/>
                    </li>
                }).collect_view()}
            </ol>
            <MoreResults asked scope=Scope::Forum more=found.more/>
        </section>
    }
}

/// Matched words in `<mark>`; every part stays text.
#[component]
fn Snippet(parts: Vec<kring_domain::search::SnippetPart>) -> impl IntoView {
    view! {
        <p class="snippet">
            {parts.into_iter().map(|part| if part.matched {
                view! { <mark>{part.text}</mark> }.into_any()
            } else {
                view! { <span>{part.text}</span> }.into_any()
            }).collect_view()}
        </p>
    }
}

/// Looking everywhere: a link to the rest of one list. Looking in one list:
/// links to the previous and next pages, plain links that need no WebAssembly.
#[component]
fn MoreResults(asked: Asked, scope: Scope, more: bool) -> impl IntoView {
    let t = use_viewer().locale();
    if asked.scope == Scope::Everywhere {
        return more
            .then(|| {
                let text = match scope {
                    Scope::Units => td_string!(t, search_more_units),
                    _ => td_string!(t, search_more_posts),
                };
                view! { <p><a href=asked.link(scope, 1)>{text}</a></p> }
            })
            .into_any();
    }
    let page = kring_domain::search::result_page(asked.page);
    (page > 0 || more)
        .then(|| {
            view! {
                <nav class="pager" aria-label=td_string!(t, pager_label)>
                    {(page > 0).then(|| view! {
                        <a href=asked.link(scope, page - 1) rel="prev">{td_string!(t, search_previous)}</a>
                    })}
                    " "
                    <span>{td_string!(t, search_page).replace("%page%", &(page + 1).to_string())}</span>
                    " "
                    {more.then(|| view! {
                        <a href=asked.link(scope, page + 1) rel="next">{td_string!(t, search_next)}</a>
                    })}
                </nav>
            }
        })
        .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_words_as_text() {
        let asked = Asked {
            query: "niños & \"care\"#x".to_owned(),
            language: Language::Es,
            scope: Scope::Forum,
            page: 0,
        };
        assert_eq!(
            asked.link(Scope::Forum, 2),
            "/search?q=ni%C3%B1os%20%26%20%22care%22%23x&lang=es&in=forum&page=3"
        );
        assert_eq!(
            asked.link(Scope::Units, 0),
            "/search?q=ni%C3%B1os%20%26%20%22care%22%23x&lang=es&in=units&page=1"
        );
    }
}
