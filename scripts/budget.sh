#!/usr/bin/env bash
# Prints the download sizes of the built site; run after `make build`.
set -euo pipefail
site=${1:-target/site}
command -v brotli >/dev/null || { echo "budget needs the brotli command (apt-get install brotli)"; exit 1; }
[ -f "$site/pkg/kring.wasm" ] || { echo "no build in $site: run 'make build' first"; exit 1; }

row() { # name, file
  local raw gz br
  raw=$(stat -c %s "$2"); gz=$(gzip -9 -c "$2" | wc -c); br=$(brotli -c -q 11 "$2" | wc -c)
  printf '%-22s %9d %9d %9d\n' "$1" "$raw" "$gz" "$br"
}
html=$(mktemp)
trap 'rm -f "$html"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
port=$((20000 + RANDOM % 20000))
db=$(mktemp -d)
KRING_ADDR=127.0.0.1:$port DATABASE_URL="sqlite:$db/budget.sqlite" KRING_SITE_ROOT="$site" \
  "${KRING_BIN:-$(dirname "$site")/release/kring}" >/dev/null 2>&1 & pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/" -o "$html"

printf '%-22s %9s %9s %9s\n' "asset" "raw" "gzip" "brotli"
row "kring.wasm" "$site/pkg/kring.wasm"
row "kring.js" "$site/pkg/kring.js"
row "kring.css" "$site/pkg/kring.css"
row "home page HTML" "$html"
wasm_br=$(brotli -c -q 11 "$site/pkg/kring.wasm" | wc -c)
echo "WebAssembly budget: ${wasm_br} of 153600 bytes brotli"
[ "$wasm_br" -le 153600 ] || { echo "over budget"; exit 1; }
