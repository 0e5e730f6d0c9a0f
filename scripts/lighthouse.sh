#!/usr/bin/env bash
# A benchmark, not a test: Lighthouse's mobile profile (150 ms round trips,
# 1.6 Mbps, the processor slowed four times, simulated) on the seven key pages
# of the release build with the demo data, in Debian's Chromium. Prints LCP,
# CLS, TBT and the bytes each page downloads, against the goals (LCP ≤ 1.2 s,
# CLS 0, TBT < 50 ms). Lighthouse is installed outside the clone on first use.
#   lighthouse.sh SITE
set -euo pipefail
site=${1:-target/site}
bin=${KRING_BIN:-$(dirname "$site")/release/kring}
version=12.2.3
tools=${KRING_LIGHTHOUSE_DIR:-$HOME/.cache/kring-lighthouse}
[ -x "$bin" ] || { echo "no $bin: run 'make build' first"; exit 1; }
if [ ! -x "$tools/node_modules/.bin/lighthouse" ] ||
   ! grep -q "\"version\": \"$version\"" "$tools/node_modules/lighthouse/package.json"; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent -E "lighthouse@$version" >/dev/null
fi

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port
KRING_ADDR=127.0.0.1:$port DATABASE_URL="sqlite:$work/lighthouse.sqlite" KRING_DEMO=1 \
  KRING_SITE_ROOT="$site" "$bin" >"$work/server.log" 2>&1 & pid=$!
for _ in $(seq 150); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
# Anonymous pages as a visitor whose zone is known (no reload to learn it).
visitor="kring_tz=Africa/Nairobi"
curl -sf -o /dev/null -c "$work/cookies" --data-urlencode "email=priya@demo.kring" \
  --data-urlencode "password=kring-demo-2026" "$base/api/login" || true
member=$(awk '$6 ~ /kring_session$/ {print $6 "=" $7}' "$work/cookies")
[ -n "$member" ] || { echo "could not log in"; exit 1; }

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
printf '%-34s %8s %6s %8s %10s\n' page LCP CLS TBT bytes
failed=0
while read -r name cookie path; do
  [ "$cookie" = member ] && cookie=$member || cookie=$visitor
  "$tools/node_modules/.bin/lighthouse" "$base$path" --quiet --chrome-path=/usr/bin/chromium \
    --chrome-flags="$flags" --only-categories=performance --output=json \
    --output-path="$work/report.json" --extra-headers="{\"Cookie\": \"$cookie\"}" >/dev/null 2>&1 ||
    { echo "lighthouse failed on $path"; exit 1; }
  read -r lcp cls tbt bytes < <(node -e '
    const audits = require(process.argv[1]).audits;
    const value = (id) => audits[id].numericValue;
    console.log(Math.round(value("largest-contentful-paint")), value("cumulative-layout-shift").toFixed(3),
      Math.round(value("total-blocking-time")), value("total-byte-weight"));' "$work/report.json")
  verdict=""
  if [ "$lcp" -gt 1200 ] || [ "$cls" != 0.000 ] || [ "$tbt" -ge 50 ]; then verdict="  over the goal"; failed=1; fi
  printf '%-34s %6s ms %6s %5s ms %10s%s\n' "$name $path" "$lcp" "$cls" "$tbt" "$bytes" "$verdict"
done <<'PAGES'
home visitor /
login visitor /login
sessions visitor /sessions
sessions member /sessions
unit member /units/1
thread member /forum/threads/1
forum member /forum
PAGES
[ "$failed" = 0 ] && echo "every page within the goals" || echo "some pages miss the goals"
