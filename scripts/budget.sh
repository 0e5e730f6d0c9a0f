#!/usr/bin/env bash
# Prints the download sizes of the built site, then what each key page makes a
# browser download (scripts/budget-pages.mjs); run after `make build`. Fails
# when the whole app's WebAssembly (both modules) exceeds 150 KB brotli, or a
# reading page downloads more than 40 KB of WebAssembly and JS.
set -euo pipefail
site=${1:-target/site}
command -v brotli >/dev/null || { echo "budget needs the brotli command (apt-get install brotli)"; exit 1; }
# The release build names the files after their content (kring.<hash>.wasm).
built() { # module, extension
  local file
  for file in "$site/pkg/$1".*."$2" "$site/pkg/$1.$2"; do
    [ -f "$file" ] && { echo "$file"; return; }
  done
  echo "no $1.$2 in $site/pkg: run 'make build' first" >&2; exit 1
}
wasm=$(built kring wasm); js=$(built kring js); css=$(built kring css)
behaviours_wasm=$(built behaviours wasm); behaviours_js=$(built behaviours js)

row() { # name, file, address the server sends it at (empty: not a file it serves)
  local raw gz br served="-"
  raw=$(stat -c %s "$2"); gz=$(gzip -9 -c "$2" | wc -c); br=$(brotli -c -q 11 "$2" | wc -c)
  # What a browser that accepts brotli receives.
  [ -z "$3" ] || served=$(curl -sf -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$3")
  printf '%-22s %9d %9d %9d %9s\n' "$1" "$raw" "$gz" "$br" "$served"
}
html=$(mktemp)
trap 'rm -f "$html"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "${db:-}"' EXIT
port=$((20000 + RANDOM % 20000))
db=$(mktemp -d)
KRING_ADDR=127.0.0.1:$port DATABASE_URL="sqlite:$db/budget.sqlite" KRING_SITE_ROOT="$site" KRING_DEMO=1 \
  "${KRING_BIN:-$(dirname "$site")/release/kring}" >/dev/null 2>&1 & pid=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/" -o "$html"

base="http://127.0.0.1:$port"
printf '%-22s %9s %9s %9s %9s\n' "asset" "raw" "gzip" "brotli" "served"
row "kring.wasm" "$wasm" "$base/pkg/${wasm##*/}"
row "kring.js" "$js" "$base/pkg/${js##*/}"
row "behaviours.wasm" "$behaviours_wasm" "$base/pkg/${behaviours_wasm##*/}"
row "behaviours.js" "$behaviours_js" "$base/pkg/${behaviours_js##*/}"
row "kring.css" "$css" "$base/pkg/${css##*/}"
row "home page HTML" "$html" "$base/"
echo
pages=0
node "$(dirname "$0")/budget-pages.mjs" "$base" || pages=$?
echo
wasm_br=$(( $(brotli -c -q 11 "$wasm" | wc -c) + $(brotli -c -q 11 "$behaviours_wasm" | wc -c) ))
echo "WebAssembly budget: ${wasm_br} of 153600 bytes brotli (both modules)"
[ "$wasm_br" -le 153600 ] || { echo "over budget"; exit 1; }
[ "$pages" = 0 ] || { echo "a reading page is over its budget"; exit 1; }
