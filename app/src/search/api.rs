//! The server functions of search: units, and forum posts.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::viewer::{db, request_context};

/// Units of the reader's programs in `language` (else the interface language),
/// best first; `page` counts from 0. Drafts are found by staff alone.
#[server(endpoint = "search")]
pub async fn search_units(
    query: String,
    language: Option<String>,
    page: Option<i64>,
) -> Result<ResultPage<UnitResult>, AppError> {
    use kring_domain::search::{snippet_parts, SearchQuery};
    use kring_domain::Language;
    let context = request_context();
    let user = context.require_user()?;
    let query = SearchQuery::parse(&query)?;
    let language = language
        .as_deref()
        .and_then(|code| Language::parse(code).ok())
        .unwrap_or(context.viewer.language);
    // Drafts are found by admins alone: the search spans every program.
    let reader = kring_db::Reader {
        user: user.id,
        language,
        staff: user.role.runs_cohort(false),
    };
    let found = db()
        .search_units(&query, language, reader, page.unwrap_or(0))
        .await?;
    Ok(ResultPage {
        results: found
            .hits
            .into_iter()
            .map(|hit| UnitResult {
                unit: hit.unit.0,
                title: hit.title,
                module_title: hit.module_title,
                snippet: snippet_parts(&hit.snippet),
            })
            .collect(),
        more: found.more,
    })
}

/// Forum posts and cases the reader may read, newest first; `page` counts
/// from 0. Staff who find posts of a circle they are not members of leave the
/// same trace as reading it, before anything of it is sent.
#[server(endpoint = "search/posts")]
pub async fn search_posts(
    query: String,
    page: Option<i64>,
) -> Result<ResultPage<PostResult>, AppError> {
    use kring_domain::search::{snippet_parts, SearchQuery};
    let context = request_context();
    let user = context.require_user()?;
    let query = SearchQuery::parse(&query)?;
    let db = db();
    let found = db
        .search_posts(&query, user.id, user.role, page.unwrap_or(0))
        .await?;
    let mut circles: Vec<_> = found
        .hits
        .iter()
        .filter_map(|hit| hit.circle.map(|circle| (circle, hit.cohort)))
        .collect();
    circles.sort_unstable_by_key(|(circle, _)| circle.0);
    circles.dedup();
    for (circle, cohort) in circles {
        crate::forum::record_outsider_circle_read(&db, user, circle, cohort).await?;
    }
    let t = context.viewer.locale();
    let zone = context.time_zone();
    Ok(ResultPage {
        results: found
            .hits
            .into_iter()
            .map(|hit| PostResult {
                post: hit.post.0,
                thread: hit.thread.0,
                thread_title: hit.thread_title,
                is_case: hit.is_case,
                in_circle: hit.circle.is_some(),
                author: crate::i18n::person_name(t, hit.author.as_deref()),
                when: kring_domain::time_text::moment(
                    hit.created_at,
                    &zone,
                    context.viewer.language,
                ),
                snippet: snippet_parts(&hit.snippet),
            })
            .collect(),
        more: found.more,
    })
}
