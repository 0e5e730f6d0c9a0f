//! The addresses of this build's CSS, JS and WebAssembly, content-named where
//! the build hashed them (as cargo-leptos names them, and `make build` the
//! behaviours' module after them). Every page names them, so they are worked
//! out once per process rather than read from disk per page.

use leptos::config::LeptosOptions;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltFiles {
    pub css: String,
    /// The Leptos islands' module, for pages with an editor.
    pub js: String,
    pub wasm: String,
    /// The small module that starts the behaviours of every other page.
    pub behaviours_js: String,
    pub behaviours_wasm: String,
}

impl BuiltFiles {
    /// This process's files: its options do not change while it runs.
    pub fn of(options: &LeptosOptions) -> &'static BuiltFiles {
        static BUILT: OnceLock<BuiltFiles> = OnceLock::new();
        BUILT.get_or_init(|| BuiltFiles::read(options))
    }

    fn read(options: &LeptosOptions) -> BuiltFiles {
        let mut css = options.output_name.to_string();
        let mut js = css.clone();
        let mut wasm = css.clone();
        let mut behaviours_js = "behaviours".to_owned();
        let mut behaviours_wasm = behaviours_js.clone();
        if options.hash_files {
            // An absolute path (as the server gives) stays as it is when joined.
            let hashes = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|folder| folder.join(&*options.hash_file)))
                .and_then(|path| std::fs::read_to_string(path).ok())
                .unwrap_or_default();
            for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
                // Written into a page's script as it is: only a hash's characters.
                let hash = hash.trim();
                if hash.is_empty()
                    || !hash
                        .bytes()
                        .all(|byte| byte.is_ascii_alphanumeric() || b"-_".contains(&byte))
                {
                    continue;
                }
                let name = match file.trim() {
                    "css" => &mut css,
                    "js" => &mut js,
                    "wasm" => &mut wasm,
                    "behaviours-js" => &mut behaviours_js,
                    "behaviours-wasm" => &mut behaviours_wasm,
                    _ => continue,
                };
                name.push('.');
                name.push_str(hash);
            }
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            // wasm-bindgen's own name, where cargo-leptos did not rename it.
            wasm.push_str("_bg");
        }
        let pkg = &options.site_pkg_dir;
        BuiltFiles {
            css: format!("/{pkg}/{css}.css"),
            js: format!("/{pkg}/{js}.js"),
            wasm: format!("/{pkg}/{wasm}.wasm"),
            behaviours_js: format!("/{pkg}/{behaviours_js}.js"),
            behaviours_wasm: format!("/{pkg}/{behaviours_wasm}.wasm"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BuiltFiles;
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

    fn files(css: &str, js: &str, wasm: &str, behaviours: [&str; 2]) -> BuiltFiles {
        BuiltFiles {
            css: css.to_owned(),
            js: js.to_owned(),
            wasm: wasm.to_owned(),
            behaviours_js: behaviours[0].to_owned(),
            behaviours_wasm: behaviours[1].to_owned(),
        }
    }

    #[test]
    fn pages_name_the_content_named_files_of_the_build() {
        let folder = std::env::temp_dir().join(format!("kring-hashes-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let hashes = folder.join("hash.txt");
        std::fs::write(
            &hashes,
            "js: Ab_9-x\nwasm: Zz0\ncss: Cc1\nsplit: Q\nbehaviours-js: Bj\nbehaviours-wasm: Bw\n",
        )
        .unwrap();
        assert_eq!(
            BuiltFiles::read(&options(Some(&hashes))),
            files(
                "/pkg/kring.Cc1.css",
                "/pkg/kring.Ab_9-x.js",
                "/pkg/kring.Zz0.wasm",
                ["/pkg/behaviours.Bj.js", "/pkg/behaviours.Bw.wasm"]
            )
        );
        // Anything but a hash's characters never reaches a page.
        std::fs::write(
            &hashes,
            "js: a\"</script>\nwasm: b c\ncss: d'\nbehaviours-js: <\nbehaviours-wasm: ?\n",
        )
        .unwrap();
        assert_eq!(
            BuiltFiles::read(&options(Some(&hashes))),
            files(
                "/pkg/kring.css",
                "/pkg/kring.js",
                "/pkg/kring.wasm",
                ["/pkg/behaviours.js", "/pkg/behaviours.wasm"]
            )
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
