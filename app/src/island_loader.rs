//! The script that starts a page's behaviours and islands. Kring's own rather
//! than Leptos's `HydrationScripts`, which has every page preload the whole
//! WebAssembly at high priority: on a slow line that delays the page's own
//! text, and most pages need none of it or only the small behaviours' module.

use crate::built_files::BuiltFiles;
use leptos::prelude::*;

/// The loader, called with the JS and WebAssembly file names of both modules.
const LOADER: &str = include_str!("island_loader.js");

/// Starts the page's behaviours and islands once the page is on screen, each
/// module only where the page has a part it starts; registers the service
/// worker on every page.
#[component]
pub fn IslandLoader(options: LeptosOptions) -> impl IntoView {
    // As Leptos does for islands: the server renders as if nothing hydrates,
    // so only islands carry hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let BuiltFiles {
        js,
        wasm,
        behaviours_js,
        behaviours_wasm,
        ..
    } = BuiltFiles::of(&options);
    view! {
        <script type="module" nonce=leptos::nonce::use_nonce()>
            {format!("{LOADER}({js:?}, {wasm:?}, {behaviours_js:?}, {behaviours_wasm:?});")}
        </script>
    }
}
