#!/usr/bin/env bash
# Builds the reading pages' small WebAssembly (`behaviours/`: no Leptos in it)
# into the built site beside the islands' module that cargo-leptos built, as
# cargo-leptos would: wasm-bindgen, `wasm-opt -Oz`, minified JS (terser), names after the content
# (an MD5 in unpadded base64url), and those names added to the site's hash.txt,
# where the server reads them. Run by `make build` after `cargo leptos build`.
set -euo pipefail
# wasm-opt and terser from npm (`make tools`), as `make` finds them.
PATH="$(cd "$(dirname "$0")/.." && pwd)/node_modules/.bin:$PATH"
target=${1:-target}
site=$target/site
[ -f "$site/hash.txt" ] || { echo "no hash.txt in $site: run 'cargo leptos build --release' first"; exit 1; }
cargo build --package behaviours --target wasm32-unknown-unknown --profile wasm-release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name behaviours \
  "$target/wasm32-unknown-unknown/wasm-release/behaviours.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$out/behaviours_bg.wasm" -o "$out/behaviours.wasm"
terser "$out/behaviours.js" --module --compress --mangle --output "$out/behaviours.min.js"
mv "$out/behaviours.min.js" "$out/behaviours.js"
content_hash() {
  node -e 'const { createHash } = require("crypto");
process.stdout.write(createHash("md5").update(require("fs").readFileSync(process.argv[1])).digest("base64url"));' "$1"
}
js_hash=$(content_hash "$out/behaviours.js")
wasm_hash=$(content_hash "$out/behaviours.wasm")
# An earlier build's files would only pile up.
rm -f "$site"/pkg/behaviours.*
cp "$out/behaviours.js" "$site/pkg/behaviours.$js_hash.js"
cp "$out/behaviours.wasm" "$site/pkg/behaviours.$wasm_hash.wasm"
grep -v '^behaviours-' "$site/hash.txt" > "$out/hash.txt" || true
printf 'behaviours-js: %s\nbehaviours-wasm: %s\n' "$js_hash" "$wasm_hash" >> "$out/hash.txt"
cp "$out/hash.txt" "$site/hash.txt"
