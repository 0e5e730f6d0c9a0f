//! The script that starts a page's islands. Kring's own rather than Leptos's
//! `HydrationScripts`, which has every page preload the whole WebAssembly at
//! high priority: on a slow line that delays the page's own text, and pages
//! without islands need none of it.

use leptos::prelude::*;

/// The loader, called with the JS and WebAssembly file names.
const LOADER: &str = include_str!("island_loader.js");

/// The addresses of this build's JS and WebAssembly: content-named where the
/// build hashed them, as Leptos names them.
fn built_files(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = js.clone();
    if options.hash_files {
        // An absolute path (as the server gives) stays as it is when joined.
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|folder| folder.join(&*options.hash_file)))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
            // Written into a script as it is: only the characters of a hash.
            let hash = hash.trim();
            if hash.is_empty()
                || !hash
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || b"-_".contains(&byte))
            {
                continue;
            }
            match file.trim() {
                "js" => js = format!("{js}.{hash}"),
                "wasm" => wasm = format!("{wasm}.{hash}"),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        // wasm-bindgen's own name, where cargo-leptos did not rename it.
        wasm.push_str("_bg");
    }
    let pkg = &options.site_pkg_dir;
    (format!("/{pkg}/{js}.js"), format!("/{pkg}/{wasm}.wasm"))
}

/// Starts the page's islands once the page is on screen, and fetches nothing
/// on pages that have none; registers the service worker on every page.
#[component]
pub fn IslandLoader(options: LeptosOptions) -> impl IntoView {
    // As Leptos does for islands: the server renders as if nothing hydrates,
    // so only islands carry hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let (js, wasm) = built_files(&options);
    view! {
        <script type="module" nonce=leptos::nonce::use_nonce()>
            {format!("{LOADER}({js:?}, {wasm:?});")}
        </script>
    }
}

#[cfg(test)]
mod tests {
    use super::built_files;
    use leptos::config::LeptosOptions;

    fn options(hash_file: Option<&std::path::Path>) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("kring")
            .site_pkg_dir("pkg")
            .hash_files(hash_file.is_some())
            .hash_file(hash_file.map_or("hash.txt".into(), |path| {
                path.to_string_lossy().into_owned().into()
            }))
            .build()
    }

    #[test]
    fn the_loader_names_the_content_named_files_of_the_build() {
        let folder = std::env::temp_dir().join(format!("kring-hashes-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let hashes = folder.join("hash.txt");
        std::fs::write(&hashes, "js: Ab_9-x\nwasm: Zz0\ncss: Cc1\n").unwrap();
        assert_eq!(
            built_files(&options(Some(&hashes))),
            (
                "/pkg/kring.Ab_9-x.js".to_owned(),
                "/pkg/kring.Zz0.wasm".to_owned()
            )
        );
        // Anything but a hash's characters never reaches the script.
        std::fs::write(&hashes, "js: a\"</script>\nwasm: b c\n").unwrap();
        assert_eq!(
            built_files(&options(Some(&hashes))),
            ("/pkg/kring.js".to_owned(), "/pkg/kring.wasm".to_owned())
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
