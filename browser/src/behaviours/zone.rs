//! The browser's own time zone (`Intl`), for pages that show times.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// For visitors whose zone the server does not know yet: remembers the
/// browser's zone in a cookie and reloads once, so this page and every later
/// one arrive from the server already in local time.
pub fn remember_in_cookie() {
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
        && document.cookie().is_ok_and(|cookies| {
            cookies
                .split(';')
                .any(|cookie| cookie.trim_start().starts_with("kring_tz="))
        })
    {
        let _ = web_sys::window().map(|window| window.location().reload());
    }
}

/// A time-zone field starts with the server's guess; this puts the browser's
/// own zone in it, so a new member rarely has to type it. What they typed
/// before this ran stays.
pub fn fill_in(field: Element) {
    let (Some(zone), Ok(field)) = (browser_time_zone(), field.dyn_into::<HtmlInputElement>())
    else {
        return;
    };
    if field.value() == field.default_value() {
        field.set_value(&zone);
    }
}

fn browser_time_zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &wasm_bindgen::JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
}
