//! How islands talk to the server: they post the same form fields the page's
//! plain HTML form posts to the same server function. A bare `fetch` keeps
//! server_fn's client and its encoders out of the WebAssembly participants download.

/// Why a post did not go through.
// On the server, where islands never post, nothing refuses.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostError {
    /// No answer: offline, or the server is down. Worth trying again.
    Unreachable,
    /// The server answered with an error, already translated for the person.
    Refused(String),
}

/// A browser API that failed (no `fetch`, a network error): nothing reached the server.
#[cfg(feature = "hydrate")]
impl From<wasm_bindgen::JsValue> for PostError {
    fn from(_: wasm_bindgen::JsValue) -> PostError {
        PostError::Unreachable
    }
}

/// Posts `fields` as a form to `path` and returns the response body.
#[cfg(feature = "hydrate")]
pub async fn post_form(path: &str, fields: &[(&str, &str)]) -> Result<String, PostError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
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

/// The server only runs islands' event handlers in the browser.
#[cfg(not(feature = "hydrate"))]
pub async fn post_form(_path: &str, _fields: &[(&str, &str)]) -> Result<String, PostError> {
    Err(PostError::Unreachable)
}

/// Resolves in a later task of the browser's event loop: what follows runs
/// once the browser has had its turn to paint and answer a tap, so starting
/// an island on a slow phone is several short tasks rather than one long
/// one. `scheduler.yield()` where there is one, else a message to itself;
/// not a timer, as timers are throttled in background tabs, where live
/// posts must still start at once.
#[cfg(feature = "hydrate")]
pub async fn next_task() {
    use wasm_bindgen::{JsCast, JsValue};
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into())
        .ok()
        .filter(|scheduler| scheduler.is_object());
    let yielded = scheduler.and_then(|scheduler| {
        let yield_now = js_sys::Reflect::get(&scheduler, &"yield".into()).ok()?;
        let yield_now = yield_now.dyn_into::<js_sys::Function>().ok()?;
        yield_now
            .call0(&scheduler)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()
    });
    let promise = yielded.unwrap_or_else(|| {
        js_sys::Promise::new(&mut |resolve, _| match web_sys::MessageChannel::new() {
            Ok(channel) => {
                channel.port1().set_onmessage(Some(&resolve));
                let _ = channel.port2().post_message(&JsValue::NULL);
            }
            Err(_) => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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
