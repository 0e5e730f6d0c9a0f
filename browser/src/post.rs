//! How the browser talks to the server: it posts the same form fields the
//! page's plain HTML form posts to the same server function. A bare `fetch`
//! keeps server_fn's client and its encoders out of the WebAssembly
//! participants download.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a post did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    /// No answer: offline, or the server is down. Worth trying again.
    Unreachable,
    /// The server answered with an error, already translated for the person.
    Refused(String),
}

/// A browser API that failed (no `fetch`, a network error): nothing reached the server.
impl From<wasm_bindgen::JsValue> for PostError {
    fn from(_: wasm_bindgen::JsValue) -> PostError {
        PostError::Unreachable
    }
}

/// Posts `fields` as a form to `path` and returns the response body.
pub async fn post_form(path: &str, fields: &[(&str, &str)]) -> Result<String, PostError> {
    let form = web_sys::UrlSearchParams::new()?;
    for (name, value) in fields {
        form.append(name, value);
    }
    let headers = web_sys::Headers::new()?;
    // Not text/html: errors come back as a status and JSON, not as a redirect to a page.
    headers.set("Accept", "application/json")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&form);
    let window = web_sys::window().ok_or(PostError::Unreachable)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else if response.status() >= 500 {
        Err(PostError::Unreachable)
    } else {
        // The body is an `AppError`: its message is in the person's language.
        let message = js_sys::JSON::parse(&text)
            .ok()
            .and_then(|error| js_sys::Reflect::get(&error, &"message".into()).ok())
            .and_then(|message| message.as_string())
            .unwrap_or(text);
        Err(PostError::Refused(message))
    }
}

/// Posts `fields` and lets it be: for conveniences (where one stopped reading,
/// what was seen) whose failure is not worth a word.
pub fn post_and_forget(path: String, fields: Vec<(String, String)>) {
    wasm_bindgen_futures::spawn_local(async move {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let _ = post_form(&path, &fields).await;
    });
}

/// A server function's JSON string result (such as rendered HTML) as text.
pub fn json_string(json: &str) -> Option<String> {
    js_sys::JSON::parse(json).ok()?.as_string()
}
