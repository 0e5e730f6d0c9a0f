//! The browser entry: hydrates the islands the server marked in the page.

// Nothing here names an island, but linking `app` is what brings the islands'
// exported hydration functions into the WebAssembly.
#[allow(unused_imports)]
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
