//! The content islands: dragging units and modules into order, and the unit editor.

use super::*;
use crate::components::TextArea;
use leptos::prelude::*;

/// Lets a facilitator drag the items (`li[data-item]` among the children) into
/// a new order, saved at once. The up/down buttons inside keep working
/// without WebAssembly and for keyboards.
#[island]
pub fn DragOrder(
    kind: OrderKind,
    parent: i64,
    labels: ReorderLabels,
    children: Children,
) -> impl IntoView {
    let (message, set_message) = signal(None::<String>);
    let (ready, set_ready) = signal(false);
    let dragged = StoredValue::new(None::<String>);
    let list = NodeRef::<leptos::html::Div>::new();
    let labels = StoredValue::new(labels);
    Effect::new(move |_| set_ready.set(true));
    let drop = move |_target_unit: String| {
        #[cfg(feature = "hydrate")]
        {
            let Some(unit) = dragged.get_value() else {
                return;
            };
            let Some(order) = list
                .get_untracked()
                .and_then(|list| drag::move_item(&list, &unit, &_target_unit))
            else {
                return;
            };
            leptos::task::spawn_local(async move {
                use leptos::server_fn::ServerFn;
                let parent = parent.to_string();
                let fields = [
                    ("kind", kind.code()),
                    ("parent", &parent),
                    ("order", &order),
                ];
                let text = match kring_browser::post::post_form(SaveOrder::PATH, &fields).await {
                    Ok(_) => labels.with_value(|l| l.saved.clone()),
                    // The server's own words: the order changed meanwhile, reload.
                    Err(kring_browser::post::PostError::Refused(message)) => message,
                    Err(kring_browser::post::PostError::Unreachable) => {
                        labels.with_value(|l| l.failed.clone())
                    }
                };
                set_message.set(Some(text));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (kind, parent, set_message, list);
    };
    view! {
        <div class="reorder" node_ref=list
            on:dragstart=move |event| {
                let unit = drag::item_of(&event);
                #[cfg(feature = "hydrate")]
                if let (Some(unit), Some(transfer)) = (&unit, event.data_transfer()) {
                    let _ = transfer.set_data("text/plain", unit);
                }
                dragged.set_value(unit);
            }
            on:dragover=move |event| {
                if dragged.with_value(Option::is_some) {
                    event.prevent_default();
                }
            }
            on:drop=move |event| {
                event.prevent_default();
                if let Some(target) = drag::item_of(&event) {
                    drop(target);
                }
                dragged.set_value(None);
            }>
            <p class="hint" hidden=move || !ready.get()>{labels.with_value(|l| l.hint.clone())}</p>
            {children()}
            <p role="status" aria-live="polite">{move || message.get()}</p>
        </div>
    }
}

/// The DOM side of dragging: which item an event is on, and moving it.
mod drag {
    /// The `data-item` of the list item an event happened in.
    #[cfg(feature = "hydrate")]
    pub fn item_of(event: &web_sys::DragEvent) -> Option<String> {
        use wasm_bindgen::JsCast;
        let target: web_sys::Element = event.target()?.dyn_into().ok()?;
        target
            .closest("li[data-item]")
            .ok()??
            .get_attribute("data-item")
    }

    /// On the server no event ever arrives.
    #[cfg(not(feature = "hydrate"))]
    pub fn item_of<E>(_: &E) -> Option<String> {
        None
    }

    /// Puts `item` where `target` is (after it when moving down) and returns the new order.
    #[cfg(feature = "hydrate")]
    pub fn move_item(list: &web_sys::HtmlDivElement, unit: &str, target: &str) -> Option<String> {
        use wasm_bindgen::JsCast;
        if unit == target {
            return None;
        }
        let item = |id: &str| {
            list.query_selector(&format!("li[data-item='{id}']"))
                .ok()
                .flatten()
        };
        let (moving, onto) = (item(unit)?, item(target)?);
        let order = || -> Vec<String> {
            let items = list.query_selector_all("li[data-item]").ok();
            let items = items.as_ref();
            (0..items.map_or(0, |items| items.length()))
                .filter_map(|index| items?.item(index)?.dyn_into::<web_sys::Element>().ok())
                .filter_map(|element| element.get_attribute("data-item"))
                .collect()
        };
        let before = order();
        let (from, to) = (
            before.iter().position(|id| id == unit)?,
            before.iter().position(|id| id == target)?,
        );
        let parent = onto.parent_node()?;
        let anchor = if from < to {
            onto.next_sibling()
        } else {
            Some(onto.into())
        };
        parent.insert_before(&moving, anchor.as_ref()).ok()?;
        Some(order().join(","))
    }
}

/// Where the author's text stands against what the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaveState {
    /// As loaded: nothing to save.
    Clean,
    /// Typed since the last save.
    Unsaved,
    Saving,
    Saved,
    /// The last save failed (offline?); the text is kept in this browser and saved again.
    Failed,
    /// The server refused the text (with a message); tried again after the next change.
    Refused,
}

/// How often typed text is saved as a draft.
const AUTOSAVE_EVERY: std::time::Duration = std::time::Duration::from_secs(4);
/// How long typing pauses before the preview is rendered again.
const PREVIEW_AFTER: std::time::Duration = std::time::Duration::from_millis(500);

/// The unit editor. Server-rendered it is a plain form (publish or save a
/// draft); hydrated it previews as you type, saves drafts every few seconds
/// and when you leave a field, keeps a copy in the browser until the server
/// has it, and warns before leaving with unsaved text. `editor` is who edits:
/// browser copies are kept per person, so someone else signing in on the
/// same browser is never offered them.
#[island]
pub fn UnitEditor(
    edit: UnitEdit,
    editor: i64,
    preview_html: String,
    labels: EditorLabels,
) -> impl IntoView {
    use kring_browser::post::{json_string, post_form, PostError};
    use kring_domain::text_edit::Selected;
    use leptos::server_fn::ServerFn;
    let (title, set_title) = signal(edit.title.clone());
    let (body, set_body) = signal(edit.body.clone());
    let (preview, set_preview) = signal(preview_html);
    let (state, set_state) = signal(SaveState::Clean);
    let (ready, set_ready) = signal(false);
    let (kept, set_kept) = signal(None::<(i64, String, String)>);
    let (refusal, set_refusal) = signal(String::new());
    // The revision the text builds on; a restored browser copy brings its own.
    let (base, set_base) = signal(edit.base);
    // One save at a time, so an older text never lands after a newer one.
    let in_flight = StoredValue::new(false);
    let area = NodeRef::<leptos::html::Textarea>::new();
    let title_input = NodeRef::<leptos::html::Input>::new();
    let labels = StoredValue::new(labels);
    let edit = StoredValue::new(edit);
    let typed = StoredValue::new(0u64);
    let local_key = edit.with_value(|e| format!("kring-unit-{editor}-{}-{}", e.unit, e.language));
    let local_key = StoredValue::new(local_key);

    let save = move || {
        if in_flight.get_value()
            || !matches!(
                state.get_untracked(),
                SaveState::Unsaved | SaveState::Failed
            )
        {
            return;
        }
        in_flight.set_value(true);
        set_state.set(SaveState::Saving);
        let draft = edit.get_value();
        let (unit, base) = (draft.unit.to_string(), base.get_untracked().to_string());
        let source = draft.source.map(|number| number.to_string());
        let (title, body) = (title.get_untracked(), body.get_untracked());
        leptos::task::spawn_local(async move {
            let mut fields = vec![
                ("edit[unit]", unit.as_str()),
                ("edit[language]", draft.language.as_str()),
                ("edit[base]", base.as_str()),
                ("edit[title]", title.as_str()),
                ("edit[body]", body.as_str()),
            ];
            if let Some(source) = &source {
                fields.push(("edit[source]", source));
            }
            let outcome = post_form(SaveUnitDraft::PATH, &fields).await;
            in_flight.set_value(false);
            // Typing during the save keeps the newer text unsaved, for the next save.
            if state.get_untracked() != SaveState::Saving {
                return;
            }
            match outcome {
                Ok(_) => {
                    set_state.set(SaveState::Saved);
                    local_copy::forget(&local_key.get_value());
                }
                Err(PostError::Unreachable) => set_state.set(SaveState::Failed),
                Err(PostError::Refused(message)) => {
                    set_refusal.set(message);
                    set_state.set(SaveState::Refused);
                }
            }
        });
    };

    let changed = move || {
        set_state.set(SaveState::Unsaved);
        local_copy::keep(
            &local_key.get_value(),
            base.get_untracked(),
            &title.get_untracked(),
            &body.get_untracked(),
        );
        typed.update_value(|n| *n += 1);
        let ticket = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() != ticket {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let body = body.get_untracked();
                    let rendered = post_form(PreviewUnit::PATH, &[("body", &body)]).await;
                    if let Some(html) = rendered.ok().as_deref().and_then(json_string) {
                        set_preview.set(html);
                    }
                });
            },
            PREVIEW_AFTER,
        );
    };

    // Applies a toolbar change to the textarea, keeping the selection on the changed text.
    let apply = move |change: &dyn Fn(&Selected) -> Selected| {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let start = element.selection_start().ok().flatten().unwrap_or(0);
        let end = element.selection_end().ok().flatten().unwrap_or(start);
        let result = change(&Selected::new(&element.value(), start, end));
        element.set_value(&result.text);
        let _ = element.focus();
        let _ = element.set_selection_range(result.start, result.end);
        set_body.set(result.text);
        changed();
    };
    let bold = move || apply(&|s| s.wrap("**", "**", &labels.with_value(|l| l.bold.clone())));
    let italic = move || apply(&|s| s.wrap("_", "_", &labels.with_value(|l| l.italic.clone())));
    let link =
        move || apply(&|s| s.wrap("[", "](https://)", &labels.with_value(|l| l.link.clone())));

    Effect::new(move |_| {
        set_ready.set(true);
        set_interval(save, AUTOSAVE_EVERY);
        let _ = window_event_listener_untyped("beforeunload", move |event| {
            if !matches!(state.get_untracked(), SaveState::Clean | SaveState::Saved) {
                event.prevent_default();
            }
        });
        // A copy left by a crash or a lost connection is offered back. Only a
        // copy that was published, and has been built on since, is history already.
        if let Some(copy) = local_copy::read(&local_key.get_value()) {
            let same = copy.title == title.get_untracked() && copy.body == body.get_untracked();
            let published = copy.submitted && copy.base != base.get_untracked();
            if same || published {
                local_copy::forget(&local_key.get_value());
            } else {
                set_kept.set(Some((copy.base, copy.title, copy.body)));
            }
        }
    });

    let restore = move |_| {
        if let Some((kept_base, kept_title, kept_body)) = kept.get_untracked() {
            if let Some(element) = area.get_untracked() {
                element.set_value(&kept_body);
            }
            if let Some(input) = title_input.get_untracked() {
                input.set_value(&kept_title);
            }
            set_title.set(kept_title);
            set_body.set(kept_body);
            // Built on an older revision, it meets the newer one in the conflict view.
            set_base.set(kept_base);
            set_kept.set(None);
            changed();
        }
    };
    let discard = move |_| {
        local_copy::forget(&local_key.get_value());
        set_kept.set(None);
    };
    let label = move |pick: fn(&EditorLabels) -> &String| labels.with_value(|l| pick(l).clone());
    let status = move || match state.get() {
        SaveState::Clean => String::new(),
        SaveState::Unsaved => label(|l| &l.unsaved),
        SaveState::Saving => label(|l| &l.saving),
        SaveState::Saved => label(|l| &l.saved),
        SaveState::Failed => label(|l| &l.failed),
        SaveState::Refused => refusal.get(),
    };
    let words = move || {
        label(|l| &l.words).replace(
            "%count%",
            &body.with(|b| b.split_whitespace().count()).to_string(),
        )
    };
    let (unit, language, source) =
        edit.with_value(|e| (e.unit.to_string(), e.language.clone(), e.source));
    let submit = move |_| {
        local_copy::mark_submitted(&local_key.get_value());
        set_state.set(SaveState::Clean);
    };
    view! {
        <form method="post" action="/api/content/publish" class="card editor" on:submit=submit>
            {move || kept.get().map(|_| view! {
                <p class="notice" role="alert">
                    {label(|l| &l.kept_locally)} " "
                    <button type="button" on:click=restore>{label(|l| &l.restore)}</button> " "
                    <button type="button" class="secondary" on:click=discard>{label(|l| &l.discard)}</button>
                </p>
            })}
            <input type="hidden" name="edit[unit]" value=unit/>
            <input type="hidden" name="edit[language]" value=language.clone()/>
            <input type="hidden" name="edit[base]" value=move || base.get().to_string()/>
            {source.map(|number| view! { <input type="hidden" name="edit[source]" value=number.to_string()/> })}
            <label class="field">
                <span class="label">{label(|l| &l.title)}</span>
                <input type="text" name="edit[title]" maxlength="200" required lang=language.clone()
                    node_ref=title_input value=title.get_untracked()
                    on:input=move |event| { set_title.set(event_target_value(&event)); changed(); }
                    on:blur=move |_| save()/>
            </label>
            <div class="toolbar" role="toolbar" aria-label=label(|l| &l.toolbar) hidden=move || !ready.get()>
                <button type="button" class="secondary small" title=move || format!("{} (Ctrl+B)", label(|l| &l.bold)) aria-label=label(|l| &l.bold) on:click=move |_| bold()><strong>"B"</strong></button>
                <button type="button" class="secondary small" title=move || format!("{} (Ctrl+I)", label(|l| &l.italic)) aria-label=label(|l| &l.italic) on:click=move |_| italic()><em>"I"</em></button>
                <button type="button" class="secondary small" title=label(|l| &l.heading) aria-label=label(|l| &l.heading) on:click=move |_| apply(&|s| s.toggle_line_prefix("## "))>"H"</button>
                <button type="button" class="secondary small" title=label(|l| &l.list) aria-label=label(|l| &l.list) on:click=move |_| apply(&|s| s.toggle_line_prefix("- "))>"•"</button>
                <button type="button" class="secondary small" title=label(|l| &l.quote) aria-label=label(|l| &l.quote) on:click=move |_| apply(&|s| s.toggle_line_prefix("> "))>"❝"</button>
                <button type="button" class="secondary small" title=move || format!("{} (Ctrl+K)", label(|l| &l.link)) aria-label=label(|l| &l.link) on:click=move |_| link()>
                    // Drawn, not an emoji: phones and desktops without an emoji font show an empty box.
                    <span class="icon icon-link" aria-hidden="true"></span>
                </button>
            </div>
            <label class="field">
                <span class="label">{label(|l| &l.body)}</span>
                <TextArea name="edit[body]" text=body.get_untracked() node_ref=area
                    attr:rows="20" attr:maxlength="200000" attr:lang=language
                    on:input=move |event| { set_body.set(event_target_value(&event)); changed(); }
                    on:blur=move |_| save()
                    on:keydown=move |event| {
                        if !(event.ctrl_key() || event.meta_key()) {
                            return;
                        }
                        let handled = match event.key().to_ascii_lowercase().as_str() {
                            "b" => { bold(); true }
                            "i" => { italic(); true }
                            "k" => { link(); true }
                            "s" => { save(); true }
                            _ => false,
                        };
                        if handled {
                            event.prevent_default();
                        }
                    }/>
                <small class="hint">{label(|l| &l.hint)}</small>
            </label>
            <p class="editor-status">
                <span>{words}</span>
                <span class="save-state" role="status" aria-live="polite">{status}</span>
            </p>
            <p class="actions">
                <button type="submit">{label(|l| &l.publish)}</button>
                <button type="submit" class="secondary" formaction="/api/content/draft">{label(|l| &l.save_draft)}</button>
            </p>
            <section class="preview" aria-label=label(|l| &l.preview)>
                <h2>{label(|l| &l.preview)}</h2>
                <div class="unit-body" inner_html=move || preview.get()></div>
            </section>
        </form>
    }
}

/// A copy of the text in the browser's storage until the server has it, so a
/// crash or a dropped connection loses nothing.
mod local_copy {
    /// A text kept in the browser: the revision it was typed on, and whether
    /// it was sent to be published.
    pub struct KeptText {
        pub base: i64,
        pub title: String,
        pub body: String,
        pub submitted: bool,
    }

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    #[cfg(feature = "hydrate")]
    pub fn keep(key: &str, base: i64, title: &str, body: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&format!("{key}-base"), &base.to_string());
            let _ = storage.set_item(&format!("{key}-title"), title);
            let _ = storage.set_item(&format!("{key}-body"), body);
            let _ = storage.remove_item(&format!("{key}-submitted"));
        }
    }

    /// The copy was sent with the publish button; if that went through, its text is in the history.
    #[cfg(feature = "hydrate")]
    pub fn mark_submitted(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.set_item(&format!("{key}-submitted"), "1");
        }
    }

    #[cfg(feature = "hydrate")]
    pub fn read(key: &str) -> Option<KeptText> {
        let storage = storage()?;
        let item = |part: &str| storage.get_item(&format!("{key}-{part}")).ok().flatten();
        Some(KeptText {
            base: item("base")?.parse().ok()?,
            title: item("title")?,
            body: item("body")?,
            submitted: item("submitted").is_some(),
        })
    }

    #[cfg(feature = "hydrate")]
    pub fn forget(key: &str) {
        if let Some(storage) = storage() {
            for part in ["base", "title", "body", "submitted"] {
                let _ = storage.remove_item(&format!("{key}-{part}"));
            }
        }
    }

    // On the server the editor never runs its handlers.
    #[cfg(not(feature = "hydrate"))]
    pub fn keep(_: &str, _: i64, _: &str, _: &str) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn mark_submitted(_: &str) {}
    #[cfg(not(feature = "hydrate"))]
    pub fn read(_: &str) -> Option<KeptText> {
        None
    }
    #[cfg(not(feature = "hydrate"))]
    pub fn forget(_: &str) {}
}
