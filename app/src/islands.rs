//! The few parts of the interface that run in the browser. Everything else is
//! rendered on the server and needs no WebAssembly.

use leptos::prelude::*;

/// A time-zone field that starts with the server's guess and, once the
/// WebAssembly has loaded, takes the browser's own zone (`Intl`), so a new
/// member rarely has to type it.
#[island]
pub fn BrowserTimeZone(name: String, value: String) -> impl IntoView {
    let (zone, set_zone) = signal(value);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(browser_zone) = browser_time_zone() {
            set_zone.set(browser_zone);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = set_zone;
    });
    view! {
        <input type="text" name=name required autocomplete="off" spellcheck="false" value=zone
            on:input=move |event| set_zone.set(event_target_value(&event))/>
    }
}

/// For visitors whose zone the server does not know yet: remembers the
/// browser's zone in a cookie and reloads once, so this page and every later
/// one arrive from the server already in local time.
#[island]
pub fn ZoneCookie() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        remember_browser_zone();
    });
}

#[cfg(feature = "hydrate")]
fn remember_browser_zone() {
    use wasm_bindgen::JsCast;
    let Some(zone) = browser_time_zone() else {
        return;
    };
    let Some(document) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return;
    };
    let cookie = format!("kring_tz={zone}; Path=/; Max-Age=31536000; SameSite=Lax");
    if document.set_cookie(&cookie).is_ok()
        // Only reload when the cookie stuck, or a browser refusing cookies would loop.
        && document.cookie().is_ok_and(|cookies| cookies.contains("kring_tz="))
    {
        let _ = web_sys::window().map(|window| window.location().reload());
    }
}

#[cfg(feature = "hydrate")]
fn browser_time_zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
}

/// Tells the server, once the page is on screen, that its reader saw it: a
/// post of `fields` to the server function at `action`. Loading a page changes
/// nothing by itself, so a link or an image pointing at it cannot either.
#[island]
pub fn ReportSeen(action: String, fields: Vec<(String, String)>) -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let (action, fields) = (action.clone(), fields.clone());
            leptos::task::spawn_local(async move {
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect();
                // Where one stopped reading is a convenience: a failure is not worth a word.
                let _ = crate::browser::post_form(&action, &fields).await;
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&action, &fields);
    });
}
