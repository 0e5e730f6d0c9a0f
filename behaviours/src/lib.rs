//! Starts the behaviours of a server-rendered page (`kring_browser::behaviours`).
//! Reading pages load this instead of the Leptos islands' WebAssembly, which
//! only pages with an editor need.

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(target_family = "wasm")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen]
pub fn start() {
    kring_browser::behaviours::start();
}
