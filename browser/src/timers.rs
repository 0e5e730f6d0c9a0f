//! The browser's timers, for callbacks that live as long as the page.

use wasm_bindgen::{closure::Closure, JsCast};

/// Runs `callback` once, after `delay_ms`.
pub fn set_timeout(callback: impl FnOnce() + 'static, delay_ms: u64) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(callback);
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        callback.unchecked_ref(),
        delay_ms.min(i32::MAX as u64) as i32,
    );
}

/// A repeating timer that can be stopped.
pub struct Interval(i32);

impl Interval {
    pub fn clear(self) {
        if let Some(window) = web_sys::window() {
            window.clear_interval_with_handle(self.0);
        }
    }
}

/// Runs `callback` every `period_ms`, for the page's life or until cleared.
pub fn set_interval(callback: impl Fn() + 'static, period_ms: u64) -> Option<Interval> {
    let window = web_sys::window()?;
    let callback = Closure::<dyn Fn()>::new(callback);
    let handle = window
        .set_interval_with_callback_and_timeout_and_arguments_0(
            callback.as_ref().unchecked_ref(),
            period_ms.min(i32::MAX as u64) as i32,
        )
        .ok()?;
    // Kept for the page's life; a cleared interval leaves one small closure behind.
    callback.forget();
    Some(Interval(handle))
}
