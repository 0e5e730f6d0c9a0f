#!/usr/bin/env bash
# A benchmark, not a test: one kept-alive connection asking for the same file
# again and again, with the server pinned to one core and wrk to the other.
# Prints requests a second and the median and 99th-percentile latency for the
# CSS, the WebAssembly, the icon and the home page. Run after `make build`.
set -euo pipefail
site=${1:-target/site}
seconds=${BENCH_SECONDS:-5}
command -v wrk >/dev/null || { echo "bench-static needs wrk (apt-get install wrk)"; exit 1; }
file_of() { # extension: the built file's name, hashed or not
  local file
  for file in "$site"/pkg/kring.*."$1" "$site/pkg/kring.$1"; do
    [ -f "$file" ] && { echo "${file##*/}"; return; }
  done
  echo "no kring.$1 in $site/pkg: run 'make build' first" >&2; exit 1
}
css=$(file_of css); wasm=$(file_of wasm)
port=$((20000 + RANDOM % 20000))
db=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$db"' EXIT
KRING_ADDR=127.0.0.1:$port DATABASE_URL="sqlite:$db/bench.sqlite" KRING_SITE_ROOT="$site" \
  taskset -c 0 "${KRING_BIN:-$(dirname "$site")/release/kring}" >/dev/null 2>&1 & pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

printf '%-44s %10s %9s %9s\n' "one kept-alive connection" "req/s" "p50" "p99"
for path in "/pkg/$css" "/pkg/$wasm" /favicon.svg /; do
  out=$(taskset -c 1 wrk -t1 -c1 -d"${seconds}s" --latency -H 'Accept-Encoding: br, gzip' \
    "http://127.0.0.1:$port$path")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-44s %10s %9s %9s\n' "$path" "$rps" "$p50" "$p99"
done
