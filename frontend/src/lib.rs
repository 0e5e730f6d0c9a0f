//! The browser entry: hydrates the islands the server marked in the page.

// Linking `app` is what brings the islands' code into the WebAssembly.
use app::islands as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
