#!/usr/bin/env bash
# Writes brotli (level 11) and gzip (level 9) copies beside the built site's
# WebAssembly, JS, CSS and SVG files, which the server sends to browsers that
# accept them instead of compressing on every request. Run after the release build.
set -euo pipefail
site=${1:-target/site}
command -v brotli >/dev/null || { echo "precompress needs the brotli command (apt-get install brotli)"; exit 1; }
[ -d "$site/pkg" ] || { echo "no build in $site: run 'make build' first"; exit 1; }
compress() { brotli --force --keep --quality=11 "$@"; gzip --force --keep -9 "$@"; }
export -f compress
find "$site/pkg" \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -exec bash -c 'compress "$@"' _ {} +
find "$site" -maxdepth 1 -name '*.svg' -exec bash -c 'compress "$@"' _ {} +
