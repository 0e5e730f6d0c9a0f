#!/usr/bin/env bash
# A benchmark, not a test: the key pages a signed-in member opens, with the
# server pinned to one core and wrk (8 connections) to the other. Prints
# requests a second and p50/p95/p99 latency per page.
#   bench-pages.sh SITE ENGINE DATASET
# ENGINE is sqlite or postgres (a fresh database on KRING_BENCH_POSTGRES, by
# default the local server); DATASET is demo (the demo program) or scale
# (`kring demo --scale`: five years of a consortium). Run after `make build`.
set -euo pipefail
site=${1:-target/site}
engine=${2:-sqlite}
dataset=${3:-demo}
seconds=${BENCH_SECONDS:-10}
bin=${KRING_BIN:-$(dirname "$site")/release/kring}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "bench-pages needs wrk (apt-get install wrk)"; exit 1; }
[ -x "$bin" ] || { echo "no $bin: run 'make build' first"; exit 1; }

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
  if [ "$engine" = postgres ]; then psql "$admin" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
case "$engine" in
  sqlite) url="sqlite:$work/bench.sqlite" ;;
  postgres)
    admin=${KRING_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
    name=kring_bench_$$
    psql "$admin" -qc "CREATE DATABASE $name" >/dev/null
    url="${admin%/*}/$name" ;;
  *) echo "engine: sqlite or postgres"; exit 1 ;;
esac

# Where the pages are: the demo's own, or those the scale loader prints.
if [ "$dataset" = scale ]; then
  echo "Loading the consortium into $engine…"
  DATABASE_URL="$url" KRING_DEMO=1 "$bin" demo --scale 2>/dev/null | tee "$work/scale.txt" | grep '^Loaded'
  value() { awk -F= -v key="$1" '$1 == key {print $2}' "$work/scale.txt" | cut -d' ' -f1; }
  member=$(value member); cohort=$(value cohort); category=$(value category)
  thread=$(value thread); unit=$(value unit)
else
  member=lucia@demo.kring; cohort=1; category=1; thread=1; unit=1
fi

port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port
KRING_ADDR=127.0.0.1:$port DATABASE_URL="$url" KRING_DEMO=1 KRING_SITE_ROOT="$site" \
  taskset -c 0 "$bin" >"$work/server.log" 2>&1 & pid=$!
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -sf -o /dev/null -c "$work/cookies" --data-urlencode "email=$member" \
  --data-urlencode "password=kring-demo-2026" "$base/api/login" || true
session=$(awk '$6 ~ /kring_session$/ {print $6 "=" $7}' "$work/cookies")
[ -n "$session" ] || { echo "could not log in as $member"; exit 1; }

echo "$engine, $dataset data, $member; server on one core, wrk -c8 for ${seconds}s a page"
printf '%-44s %9s %9s %9s %9s %7s\n' page req/s p50 p95 p99 failed
for path in /sessions "/units/$unit" "/forum/threads/$thread" "/forum/cohorts/$cohort" \
  "/forum/categories/$category" "/search?q=family&in=forum"; do
  line=$(taskset -c 1 wrk -t1 -c8 -d"${seconds}s" -s "$here/percentiles.lua" \
    -H "Cookie: $session" -H 'Accept: text/html' "$base$path" | awk '/^RESULT/')
  read -r _ rps p50 p95 p99 failed <<<"$line"
  printf '%-44s %9s %9s %9s %9s %7s\n' "$path" "$rps" "${p50}ms" "${p95}ms" "${p99}ms" "$failed"
done
