//! Letting the browser have its turn.

use wasm_bindgen::{JsCast, JsValue};

/// Resolves in a later task of the browser's event loop: what follows runs
/// once the browser has had its turn to paint and answer a tap, so starting
/// a page's interactive parts on a slow phone is several short tasks rather
/// than one long one. `scheduler.yield()` where there is one, else a message
/// to itself; not a timer, as timers are throttled in background tabs, where
/// live posts must still start at once.
pub async fn next_task() {
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
