# Kring: `make run` starts the app with demo data; `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO_LEPTOS_VERSION := 0.3.10
CARGO_AUDIT_VERSION := 0.22.2
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SECONDS := 60
FUZZ_TARGETS := markdown search_query text_edit ical
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
WASM_BINDGEN_VERSION = $(shell grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
ADVISORY_DB := ../shared/advisory-db
# wasm-opt from npm's binaryen (Debian's breaks hydration), terser from npm; tools cargo installed.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run build serve test tools lint unit-tests audit e2e budget bench-static bench-pages bench-live bench-memory lighthouse flood fuzz cldr-data clean-data

run: build serve

## Installs what a fresh machine lacks; each tool only when its pinned version is missing.
## Debian packages: Chromium for the browser journeys, brotli for `make budget`, psql for the
## browser journeys on PostgreSQL (as root, or through sudo where that is how packages get installed).
DEBIAN_PACKAGES := chromium:chromium brotli:brotli psql:postgresql-client
tools:
	@missing=""; for entry in $(DEBIAN_PACKAGES); do \
		command -v $${entry%%:*} >/dev/null || missing="$$missing $${entry#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
		echo "Installing from Debian:$$missing"; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ -x node_modules/.bin/wasm-opt ] && [ -x node_modules/.bin/terser ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

build: tools
	cargo leptos build --release
	@# The list of content-hashed names travels with the site it names.
	cp $(TARGET_DIR)/release/hash.txt $(TARGET_DIR)/site/hash.txt
	@# The reading pages' small module (no Leptos), beside the islands' one.
	bash scripts/build-behaviours.sh $(TARGET_DIR)
	bash scripts/precompress.sh $(TARGET_DIR)/site

## Serves the built site from the repository root, with the demo program in data/kring.sqlite.
serve:
	@[ -x $(TARGET_DIR)/release/kring ] || { echo "Nothing built yet: run 'make build' first."; exit 1; }
	KRING_DEMO=1 KRING_SITE_ROOT=$(TARGET_DIR)/site $(TARGET_DIR)/release/kring

test: tools lint unit-tests audit build e2e
	@echo "All checks passed."

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p behaviours --target wasm32-unknown-unknown -- -D warnings

## Unit tests and integration tests against a fresh SQLite file and a fresh PostgreSQL database.
unit-tests:
	cargo test --workspace --exclude frontend

audit:
	@cargo audit --version 2>/dev/null | grep -q "$(CARGO_AUDIT_VERSION)" || cargo install cargo-audit --version $(CARGO_AUDIT_VERSION) --locked
	cargo audit --db $(ADVISORY_DB) --no-fetch

## Browser journeys in Debian's Chromium against the release build, on SQLite and on PostgreSQL.
e2e:
	KRING_BIN=$(TARGET_DIR)/release/kring KRING_SITE_ROOT=$(TARGET_DIR)/site E2E_DATABASE=sqlite node --test --test-concurrency=1 end2end/
	KRING_BIN=$(TARGET_DIR)/release/kring KRING_SITE_ROOT=$(TARGET_DIR)/site E2E_DATABASE=postgres node --test --test-concurrency=1 end2end/

## Prints what a participant downloads: WebAssembly and JS (raw, gzip, brotli), the home page's HTML and
## CSS, and per key page what Chromium's network log shows it downloading.
budget:
	@bash scripts/budget.sh $(TARGET_DIR)/site

## A benchmark, not a test: static files and the home page on one kept-alive connection
## (requests a second, p50, p99), the server and wrk pinned to different cores.
bench-static: build
	@command -v wrk >/dev/null || { sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; $$sudo apt-get install -y -qq wrk; }
	bash scripts/bench-static.sh $(TARGET_DIR)/site

## A benchmark, not a test: the key pages of a signed-in member (agenda, a unit, a long thread's
## first unread page, the forum, a category, a forum search): requests a second, p50, p95, p99,
## the server and wrk pinned to different cores. ENGINE=sqlite|postgres, DATA=scale|demo.
ENGINE ?= sqlite
DATA ?= scale
bench-pages: build
	@command -v wrk >/dev/null || { sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; $$sudo apt-get install -y -qq wrk; }
	bash scripts/bench-pages.sh $(TARGET_DIR)/site $(ENGINE) $(DATA)

## A benchmark, not a test: post-to-delivery latency (p50/p95/p99) and server memory per live
## connection for 100 to 10,000 subscribers of one thread, against the release build. On
## PostgreSQL across two instances: BENCH_INSTANCES=2 BENCH_DATABASE_URL=postgres://… (an empty database).
bench-live: build
	ulimit -n 16384 && KRING_BIN=$(TARGET_DIR)/release/kring cargo run --release -p server --example bench_live

## A benchmark, not a test: Lighthouse 12's mobile profile on the seven key pages (LCP, CLS, TBT,
## bytes), in Debian's Chromium; Lighthouse is installed outside the clone on first use.
lighthouse: build
	bash scripts/lighthouse.sh $(TARGET_DIR)/site

## A benchmark, not a test: the server's resident memory at rest with the demo loaded, at the peak
## of 100 logins at once, and one minute later, against the release build.
bench-memory: build
	KRING_BIN=$(TARGET_DIR)/release/kring cargo run --release -p server --example bench_memory

## A benchmark, not a test: 500 anonymous sign-ups and 500 wrong logins at once against the
## release build, printing the server's peak resident memory and /healthz percentiles meanwhile.
flood: build
	ulimit -n 16384 && KRING_BIN=$(TARGET_DIR)/release/kring cargo run --release -p server --example flood

## Fuzzes the domain crate (Markdown, search queries, editor changes, iCalendar) for FUZZ_SECONDS
## each (default 60), on cargo-fuzz's nightly flags; corpora and findings stay in fuzz/. Not part of `make test`.
fuzz:
	@cargo fuzz --version 2>/dev/null | grep -q "$(CARGO_FUZZ_VERSION)" || cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked
	@failed=""; for target in $(FUZZ_TARGETS); do \
		echo "== fuzz target $$target, $(FUZZ_SECONDS) seconds"; \
		dict=""; [ ! -f fuzz/dict/$$target.dict ] || dict="-dict=$(CURDIR)/fuzz/dict/$$target.dict"; \
		RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir $(CURDIR)/fuzz --target-dir $(CURDIR)/fuzz/target $$target -- \
			-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict || failed="$$failed $$target"; \
	done; \
	[ -z "$$failed" ] || { echo "Fuzzing found problems in:$$failed (inputs in fuzz/artifacts/)"; exit 1; }

# Rewrites domain/cldr/ (CLDR's names for Kring's four languages); not part of the build.
cldr-data:
	bash scripts/cldr-data.sh

clean-data:
	rm -rf data
