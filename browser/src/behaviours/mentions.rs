//! A post's text field that suggests members to @mention as one types
//! (the list is the `ul.mention-suggestions` after it). It also keeps what
//! was typed for this tab, so a post the server refuses (too fast, too long)
//! comes back with its text when the form returns with the error.

use crate::post::post_form;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, HtmlTextAreaElement};

pub fn start(field: Element, category: i64, suggest: String) {
    let Ok(area) = field.dyn_into::<HtmlTextAreaElement>() else {
        return;
    };
    let Some(list) = area
        .next_element_sibling()
        .filter(|list| list.class_list().contains("mention-suggestions"))
    else {
        return;
    };
    restore_after_refusal(&area);
    let field = Rc::new(Field {
        area,
        list,
        category,
        suggest,
        asked: Cell::new(0),
    });
    let on_input = {
        let field = Rc::clone(&field);
        Closure::<dyn Fn()>::new(move || {
            keep(&field.area);
            Field::suggest(&field);
        })
    };
    // One listener for the list, whose buttons come and go with each key.
    let on_choice = {
        let field = Rc::clone(&field);
        Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            let handle = event
                .target()
                .and_then(|target| target.dyn_into::<Element>().ok())
                .and_then(|target| target.closest("button[data-handle]").ok().flatten())
                .and_then(|button| button.get_attribute("data-handle"));
            if let Some(handle) = handle {
                field.insert(&handle);
                // Answers still on their way are for the mention now finished.
                field.asked.set(field.asked.get().wrapping_add(1));
                field.show(Vec::new());
            }
        })
    };
    let _ = field
        .area
        .add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
    let _ = field
        .list
        .add_event_listener_with_callback("click", on_choice.as_ref().unchecked_ref());
    // Both live as long as the page.
    on_input.forget();
    on_choice.forget();
}

struct Field {
    area: HtmlTextAreaElement,
    list: Element,
    category: i64,
    /// The server function's address.
    suggest: String,
    /// Counts the questions asked, so that only the latest answer is shown
    /// (an earlier one can arrive after the mention was finished).
    asked: Cell<u32>,
}

impl Field {
    /// Asks for the members whose handle starts as the `@…` being typed.
    fn suggest(field: &Rc<Field>) {
        let caret = field.area.selection_start().ok().flatten().unwrap_or(0);
        let question = field.asked.get().wrapping_add(1);
        field.asked.set(question);
        let Some((_, prefix)) =
            kring_domain::forum::mention_being_typed(&field.area.value(), caret)
        else {
            field.show(Vec::new());
            return;
        };
        let field = Rc::clone(field);
        wasm_bindgen_futures::spawn_local(async move {
            let category = field.category.to_string();
            let fields = [("category", category.as_str()), ("prefix", prefix.as_str())];
            let Ok(json) = post_form(&field.suggest, &fields).await else {
                return;
            };
            if field.asked.get() != question {
                return;
            }
            let found = js_sys::JSON::parse(&json)
                .ok()
                .map(|list| js_sys::Array::from(&list))
                .map(|list| {
                    list.iter()
                        .filter_map(|pair| {
                            let pair = js_sys::Array::from(&pair);
                            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            field.show(found);
        });
    }

    /// Lists `(handle, display name)` pairs as buttons; names stay text.
    fn show(&self, found: Vec<(String, String)>) {
        self.list.set_text_content(None);
        let Some(document) = self.list.owner_document() else {
            return;
        };
        for (handle, display) in &found {
            let Some(item) = Field::option(&document, handle, display) else {
                continue;
            };
            let _ = self.list.append_child(&item);
        }
        let _ = self
            .list
            .toggle_attribute_with_force("hidden", found.is_empty());
    }

    fn option(document: &web_sys::Document, handle: &str, display: &str) -> Option<Element> {
        let item = document.create_element("li").ok()?;
        item.set_attribute("role", "option").ok()?;
        let button = document.create_element("button").ok()?;
        button.set_attribute("type", "button").ok()?;
        button.set_attribute("data-handle", handle).ok()?;
        button.set_class_name("link");
        button.set_text_content(Some(&format!("{display} ")));
        let hint = document.create_element("span").ok()?;
        hint.set_class_name("hint");
        hint.set_text_content(Some(&format!("@{handle}")));
        button.append_child(&hint).ok()?;
        item.append_child(&button).ok()?;
        Some(item)
    }

    /// Replaces the `@prefix` before the caret with the chosen `@handle `.
    fn insert(&self, handle: &str) {
        let text = self.area.value();
        let caret = self.area.selection_start().ok().flatten().unwrap_or(0);
        let Some((start, prefix)) = kring_domain::forum::mention_being_typed(&text, caret) else {
            return;
        };
        let (Some(before), Some(after)) = (text.get(..start), text.get(start + 1 + prefix.len()..))
        else {
            return;
        };
        self.area.set_value(&format!("{before}@{handle} {after}"));
        keep(&self.area);
        let caret = before.encode_utf16().count() as u32 + handle.encode_utf16().count() as u32 + 2;
        let _ = self.area.set_selection_range(caret, caret);
        let _ = self.area.focus();
    }
}

fn storage_and_key(area: &HtmlTextAreaElement) -> Option<(web_sys::Storage, String)> {
    let window = web_sys::window()?;
    let storage = window.session_storage().ok().flatten()?;
    let path = window.location().pathname().ok()?;
    Some((storage, format!("kring-draft:{path}:{}", area.name())))
}

/// Remembers the text for this tab and page.
fn keep(area: &HtmlTextAreaElement) {
    if let Some((storage, key)) = storage_and_key(area) {
        let _ = storage.set_item(&key, &area.value());
    }
}

/// The server refused the post and sent the form back with its error
/// (`__err`): put the text back. Any other visit starts afresh.
fn restore_after_refusal(area: &HtmlTextAreaElement) {
    let Some((storage, key)) = storage_and_key(area) else {
        return;
    };
    let refused = web_sys::window()
        .and_then(|window| window.location().search().ok())
        .and_then(|query| web_sys::UrlSearchParams::new_with_str(&query).ok())
        .is_some_and(|query| query.has("__err"));
    match storage.get_item(&key).ok().flatten() {
        Some(text) if refused && area.value().is_empty() => area.set_value(&text),
        _ => {
            let _ = storage.remove_item(&key);
        }
    }
}
