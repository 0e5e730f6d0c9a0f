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

#[cfg(feature = "hydrate")]
fn browser_time_zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
}
