//! How islands talk to the server: they post the same form fields the page's
//! plain HTML form posts to the same server function. A bare `fetch` keeps
//! server_fn's client and its encoders out of the WebAssembly participants download.

/// Posts `fields` as a form to `path` and returns the response body; `Err`
/// when the server refused or could not be reached.
#[cfg(feature = "hydrate")]
pub async fn post_form(path: &str, fields: &[(&str, &str)]) -> Result<String, ()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let form = web_sys::UrlSearchParams::new().map_err(|_| ())?;
    for (name, value) in fields {
        form.append(name, value);
    }
    let headers = web_sys::Headers::new().map_err(|_| ())?;
    // Not text/html: errors come back as a status and JSON, not as a redirect to a page.
    headers.set("Accept", "application/json").map_err(|_| ())?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&form);
    let window = web_sys::window().ok_or(())?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let text = JsFuture::from(response.text().map_err(|_| ())?)
        .await
        .map_err(|_| ())?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(())
    }
}

/// The server only runs islands' event handlers in the browser.
#[cfg(not(feature = "hydrate"))]
pub async fn post_form(_path: &str, _fields: &[(&str, &str)]) -> Result<String, ()> {
    Err(())
}

/// A server function's JSON string result (such as rendered HTML) as text.
#[cfg(feature = "hydrate")]
pub fn json_string(json: &str) -> Option<String> {
    js_sys::JSON::parse(json).ok()?.as_string()
}

#[cfg(not(feature = "hydrate"))]
pub fn json_string(_json: &str) -> Option<String> {
    None
}
