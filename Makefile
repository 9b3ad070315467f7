# The two commands of the README, and the steps they are made of.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

ADDR ?= 127.0.0.1:3000

.PHONY: run test check bench slow-phone bootstrap-run bootstrap-test build-release test-rust test-e2e test-sdk frontend

## run: build a release and start Insignia at http://$(ADDR) on SQLite (data in ./data)
run: bootstrap-run build-release
	target/release/insignia --addr $(ADDR) --site-root target/site --data-dir data

## test: the checks, then every test: Rust (SQLite and a throwaway PostgreSQL), Playwright, and
## the published JavaScript SDK against a running server
test: bootstrap-test check frontend test-rust test-e2e test-sdk

## check: formatting, clippy (warnings are errors) on the server build, and the WASM build
check:
	cargo fmt --check
	cargo clippy --locked --features ssr --all-targets -- -D warnings
	cargo check --locked --lib --features hydrate --target wasm32-unknown-unknown

## bench: the server at scale (100,000 members, 1,000,000 assignments) on both backends, one table
bench: bootstrap-test build-release
	scripts/with-postgres.sh scripts/bench.sh

## slow-phone: the member list and the badge editor on a throttled phone, timed until they work
slow-phone: bootstrap-test build-release
	scripts/slow-phone.sh

bootstrap-run:
	scripts/bootstrap.sh run

bootstrap-test:
	scripts/bootstrap.sh test

build-release:
	cargo leptos build --release --precompress

# The hydrate bundle and CSS for the end-to-end tests. The server binary comes from `cargo test`
# (same profile and features), so its dependencies are compiled once, not twice.
frontend:
	cargo leptos build --frontend-only

test-rust:
	scripts/with-postgres.sh cargo test --locked --features ssr

test-e2e:
	npx playwright test --config end2end/playwright.config.ts

# The published SDK's REST clients (versions pinned in package-lock.json) against a real server.
test-sdk:
	scripts/sdk-test.sh
