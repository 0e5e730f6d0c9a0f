//! Full-text search over the units a reader may read, in their language,
//! with the matched words highlighted.

use crate::components::ErrorNotice;
use crate::content::language_name;
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
use kring_domain::search::SnippetPart;
use kring_domain::Language;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::{
    error::ErrorCode,
    viewer::{db, request_context},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub unit: i64,
    pub title: String,
    pub module_title: String,
    pub snippet: Vec<SnippetPart>,
}

#[server(endpoint = "search")]
pub async fn search_units(
    query: String,
    language: Option<String>,
) -> Result<Vec<SearchResult>, AppError> {
    use kring_domain::search::{snippet_parts, SearchQuery};
    let context = request_context();
    let user = context.require_user()?;
    let query = SearchQuery::parse(&query).map_err(|e| context.error(ErrorCode::Invalid(e)))?;
    let language = language
        .as_deref()
        .and_then(|code| Language::parse(code).ok())
        .unwrap_or(context.viewer.language);
    let reader = kring_db::Reader {
        user: user.id,
        language,
        staff: user.role.may_facilitate(),
    };
    let hits = db()
        .search_units(&query, language, reader)
        .await
        .map_err(|e| context.internal(e))?;
    Ok(hits
        .into_iter()
        .map(|hit| SearchResult {
            unit: hit.unit.0,
            title: hit.title,
            module_title: hit.module_title,
            snippet: snippet_parts(&hit.snippet),
        })
        .collect())
}

/// `/search?q=familia&lang=es`: a plain GET form, so results can be bookmarked and shared.
#[component]
pub fn SearchPage() -> impl IntoView {
    let viewer = use_viewer();
    let t = viewer.locale();
    let (query, language) = use_query_map().with_untracked(|q| {
        (
            q.get("q").unwrap_or_default(),
            q.get("lang")
                .and_then(|code| Language::parse(&code).ok())
                .unwrap_or(viewer.language),
        )
    });
    let searched = !query.trim().is_empty();
    let results = Resource::new_blocking(
        {
            let query = query.clone();
            move || query.clone()
        },
        move |query| async move {
            if query.trim().is_empty() {
                Ok(Vec::new())
            } else {
                search_units(query, Some(language.code().to_owned())).await
            }
        },
    );
    view! {
        <Title text=td_string!(t, search_title)/>
        <h1>{td_string!(t, search_title)}</h1>
        <form method="get" action="/search" class="card search-form" role="search">
            <label class="field">
                <span class="label">{td_string!(t, search_label)}</span>
                <input type="search" name="q" value=query maxlength="200" required/>
            </label>
            <label class="field">
                <span class="label">{td_string!(t, search_language)}</span>
                <select name="lang">
                    {Language::ALL.map(|l| view! { <option value=l.code() selected=l == language>{language_name(t, l)}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit">{td_string!(t, search_button)}</button>
        </form>
        <Suspense>
            {move || Suspend::new(async move {
                match results.await {
                    Err(error) => view! { <ErrorNotice error=Signal::stored(Some(error))/> }.into_any(),
                    Ok(results) if results.is_empty() => searched.then(|| view! {
                        <p>{td_string!(t, search_nothing)}</p>
                    }).into_any(),
                    Ok(results) => view! {
                        <p role="status">{td_string!(t, search_count).replace("%count%", &results.len().to_string())}</p>
                        <ol class="search-results" lang=language.code()>
                            {results.into_iter().map(|result| view! {
                                <li class="card">
                                    <h2><a href=format!("/units/{}?lang={}", result.unit, language.code())>{result.title}</a></h2>
                                    <p class="meta">{result.module_title}</p>
                                    <p class="snippet">
                                        {result.snippet.into_iter().map(|part| if part.matched {
                                            view! { <mark>{part.text}</mark> }.into_any()
                                        } else {
                                            view! { <span>{part.text}</span> }.into_any()
                                        }).collect_view()}
                                    </p>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
