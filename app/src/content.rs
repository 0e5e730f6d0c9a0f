//! Reading module content: a unit in the reader's language, or in its source
//! language with a notice when it is not translated yet. Markdown is rendered
//! and sanitised on the server, once per unit, language and revision.

use crate::components::ErrorNotice;
use crate::error::AppError;
use crate::i18n::*;
use crate::viewer::use_viewer;
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

/// A unit as one reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub id: i64,
    pub title: String,
    /// Sanitised HTML, rendered on the server.
    pub html: String,
    pub shown: Language,
    pub wanted: Language,
    /// The languages this unit can be read in.
    pub languages: Vec<Language>,
    /// The source text changed after this translation was made.
    pub outdated: bool,
    /// Only facilitators see units that are not published yet.
    pub draft: bool,
    pub may_edit: bool,
    /// The reader marked it done.
    pub done: bool,
    /// The module it belongs to: (id, title in the reader's language).
    pub module: (i64, String),
    /// The units before and after it in the module: (id, title).
    pub previous: Option<(i64, String)>,
    pub next: Option<(i64, String)>,
}

/// Rendered HTML per (unit, language, revision): a revision never changes, so
/// its HTML never goes stale.
#[cfg(feature = "ssr")]
type RenderedUnits = std::collections::HashMap<(i64, Language, i64), std::sync::Arc<str>>;

#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct RenderCache(std::sync::Arc<std::sync::Mutex<RenderedUnits>>);

#[cfg(feature = "ssr")]
impl RenderCache {
    /// Bounds memory; a full cache starts over rather than tracking recency.
    const MAX_ENTRIES: usize = 2_000;

    pub fn html(
        &self,
        unit: i64,
        language: Language,
        revision: i64,
        markdown: &str,
    ) -> std::sync::Arc<str> {
        let key = (unit, language, revision);
        if let Some(html) = self
            .0
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned())
        {
            return html;
        }
        let html: std::sync::Arc<str> = kring_domain::markdown::render(markdown).into();
        if let Ok(mut cache) = self.0.lock() {
            if cache.len() >= Self::MAX_ENTRIES {
                cache.clear();
            }
            cache.insert(key, html.clone());
        }
        html
    }

    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |cache| cache.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A unit for the signed-in reader, in `language` when given (the per-unit
/// switch), else the interface language, else the source language.
#[server(endpoint = "content/unit")]
pub async fn load_unit(id: i64, language: Option<String>) -> Result<UnitView, AppError> {
    use kring_domain::{shown_language, TranslationStatus, UnitId};
    let context = request_context();
    context.require_user()?;
    let db = db();
    let texts = db
        .unit_texts(UnitId(id))
        .await
        .map_err(|e| context.db_error(e))?;
    let user = crate::program::require_reader(&context, texts.program).await?;
    let staff = user.role.may_facilitate();
    if !texts.published && !staff {
        return Err(context.error(ErrorCode::NotFound));
    }
    let reader = kring_db::Reader {
        user: user.id,
        language: context.viewer.language,
        staff,
    };
    let module = db
        .program_outline(texts.program, Some(texts.module), reader)
        .await
        .map_err(|e| context.internal(e))?
        .into_iter()
        .next()
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let position = module.units.iter().position(|unit| unit.id.0 == id);
    let neighbour = |index: Option<usize>| {
        index
            .and_then(|index| module.units.get(index))
            .map(|unit| (unit.id.0, unit.title.clone()))
    };
    let previous = neighbour(position.and_then(|p| p.checked_sub(1)));
    let next = neighbour(position.map(|p| p + 1));
    let done = position.is_some_and(|p| module.units[p].done);
    let wanted = language
        .as_deref()
        .and_then(|code| Language::parse(code).ok())
        .unwrap_or(context.viewer.language);
    let languages: Vec<Language> = texts.texts.iter().map(|text| text.language).collect();
    let shown = shown_language(wanted, texts.source_language, &languages);
    let text = texts
        .text(shown)
        .ok_or_else(|| context.error(ErrorCode::NotFound))?;
    let cache = leptos::prelude::use_context::<RenderCache>().unwrap_or_default();
    let status = TranslationStatus::of(
        shown == texts.source_language,
        texts.source_revision(),
        Some(text.translated_from()),
    );
    Ok(UnitView {
        id,
        title: text.title.clone(),
        html: cache.html(id, shown, text.revision, &text.body).to_string(),
        shown,
        wanted,
        languages,
        outdated: status == TranslationStatus::Outdated,
        draft: !texts.published,
        may_edit: staff,
        done,
        module: (module.id.0, module.title),
        previous,
        next,
    })
}

/// A language's name in the reader's language.
pub fn language_name(t: Locale, language: Language) -> &'static str {
    match language {
        Language::En => td_string!(t, language_name_en),
        Language::Es => td_string!(t, language_name_es),
        Language::De => td_string!(t, language_name_de),
        Language::Nl => td_string!(t, language_name_nl),
    }
}

/// `/units/:id` (`?lang=nl` reads this unit in another language).
#[component]
pub fn UnitPage() -> impl IntoView {
    let t = use_viewer().locale();
    let id = crate::components::route_id();
    let language = use_query_map().with_untracked(|q| q.get("lang"));
    let mark = ServerAction::<crate::program::MarkUnitDone>::new();
    let data = Resource::new_blocking(
        move || (id, language.clone()),
        |(id, language)| load_unit(id, language),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let unit = match data.await {
                    Ok(unit) => unit,
                    Err(error) => return view! {
                        <Title text=td_string!(t, not_found_title)/>
                        <ErrorNotice error=Signal::stored(Some(error))/>
                    }.into_any(),
                };
                let notice = (unit.shown != unit.wanted).then(|| {
                    td_string!(t, content_fallback)
                        .replace("%wanted%", language_name(t, unit.wanted))
                        .replace("%shown%", language_name(t, unit.shown))
                });
                let (module_id, module_title) = unit.module.clone();
                view! {
                    <Title text=unit.title.clone()/>
                    <p class="breadcrumb"><a href=format!("/modules/{module_id}")>{module_title}</a></p>
                    <article class="unit" lang=unit.shown.code()>
                        {unit.draft.then(|| view! { <p class="notice">{td_string!(t, content_draft)}</p> })}
                        {notice.map(|notice| view! { <p class="notice fallback" role="note" lang=use_viewer().language.code()>{notice}</p> })}
                        {unit.outdated.then(|| view! { <p class="hint outdated" lang=use_viewer().language.code()>{td_string!(t, content_outdated)}</p> })}
                        <h1>{unit.title.clone()}</h1>
                        {unit.may_edit.then(|| view! {
                            <p class="actions" lang=use_viewer().language.code()>
                                <a class="button secondary" href=format!("/units/{}/edit?lang={}", unit.id, unit.wanted.code())>{td_string!(t, content_edit)}</a>
                                <a href=format!("/units/{}/history?lang={}", unit.id, unit.shown.code())>{td_string!(t, history_title)}</a>
                            </p>
                        })}
                        <div class="unit-body" inner_html=unit.html.clone()></div>
                    </article>
                    <ActionForm action=mark attr:class="unit-done">
                        <input type="hidden" name="unit" value=unit.id.to_string()/>
                        <input type="hidden" name="done" value=(!unit.done).to_string()/>
                        {if unit.done {
                            view! {
                                <p class="done-mark" role="status">"✓ " {td_string!(t, content_marked_done)}</p>
                                <button type="submit" class="secondary">{td_string!(t, content_mark_not_done)}</button>
                            }.into_any()
                        } else {
                            view! { <button type="submit">{td_string!(t, content_mark_done)}</button> }.into_any()
                        }}
                    </ActionForm>
                    // "Continue where you stopped" learns of this visit once the page is shown.
                    <crate::islands::ReportSeen
                        action={<crate::program::RecordVisit as leptos::server_fn::ServerFn>::PATH.to_owned()}
                        fields=vec![("unit".to_owned(), unit.id.to_string())]/>
                    <nav class="unit-pager" aria-label=td_string!(t, content_pager)>
                        {unit.previous.clone().map(|(id, title)| view! {
                            <a rel="prev" href=format!("/units/{id}")>"← " {title}</a>
                        })}
                        {unit.next.clone().map(|(id, title)| view! {
                            <a rel="next" href=format!("/units/{id}")>{title} " →"</a>
                        })}
                    </nav>
                    <nav class="unit-languages" aria-label=td_string!(t, content_read_in)>
                        {td_string!(t, content_read_in)} ": "
                        {unit.languages.iter().map(|language| {
                            let current = *language == unit.shown;
                            view! {
                                <a href=format!("/units/{}?lang={}", unit.id, language.code()) lang=language.code()
                                    aria-current=current.then_some("true")>{language.native_name()}</a> " "
                            }
                        }).collect_view()}
                    </nav>
                }.into_any()
            })}
        </Suspense>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_cache_renders_once_per_revision() {
        let cache = RenderCache::default();
        let first = cache.html(1, Language::En, 1, "*one*");
        assert_eq!(&*first, "<p><em>one</em></p>\n");
        // The same revision comes from the cache even if asked with other text.
        assert_eq!(
            &*cache.html(1, Language::En, 1, "*changed*"),
            "<p><em>one</em></p>\n"
        );
        assert_eq!(
            &*cache.html(1, Language::En, 2, "*two*"),
            "<p><em>two</em></p>\n"
        );
        assert_eq!(cache.len(), 2);
    }
}
