# staff-bar: `make demo` to see it, `make test` to check everything.
# Every target installs what it needs first (scripts/setup.sh skips what is present).

WASM := --target wasm32-unknown-unknown
# wasm-opt (binaryen) and Playwright come from npm; see package.json.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: all setup demo playground test lint fmt-check clippy native-tests browser-tests e2e weight packages examples msrv bundle bundle-nightly test-nightly clean

all: test

setup:
	@bash scripts/setup.sh

## demo: the Acme sample app with the embedded WorkOS stand-in, at http://127.0.0.1:8080
demo: bundle
	bash scripts/build-demo.sh
	target/serve/staff-bar-demo

## playground: `trunk serve` on index.html, the bar in dev preview with controls
playground: setup
	@echo "staff-bar playground: http://127.0.0.1:$${PORT:-8081}/"
	trunk serve --port $${PORT:-8081}

## test: formatting, clippy (native and wasm), native tests, browser tests
test: setup lint native-tests packages examples browser-tests e2e weight
	@echo "make test: all checks passed"

lint: fmt-check clippy

fmt-check:
	cargo fmt --all --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p staff-bar --all-targets --features ssr -- -D warnings
	cargo clippy --workspace --exclude staff-bar-demo --exclude staff-bar-demo-leptos --all-targets $(WASM) --features staff-bar/csr -- -D warnings
	cargo clippy -p staff-bar-demo-leptos --lib $(WASM) --features hydrate -- -D warnings
	cargo clippy -p staff-bar --all-targets $(WASM) --features hydrate -- -D warnings
	cargo clippy -p staff-bar --lib $(WASM) --no-default-features -- -D warnings
	cargo clippy -p staff-bar-islands --features ssr -- -D warnings
	cargo clippy -p staff-bar-islands --lib $(WASM) --features hydrate,bar -- -D warnings

native-tests:
	cargo test -p staff-bar-core --features serde
	cargo test -p staff-bar --features serde
	cargo test -p staff-bar --features ssr --test ssr
	cargo test -p staff-bar-element --test alloc
	cargo test -p staff-bar-demo

## examples: examples/csr and examples/ssr build, and the SSR one serves the bar
examples: setup
	bash scripts/check-examples.sh

## msrv: the shipped crates with the Rust they declare (rust-version), as a user on it
## resolves them; not part of `make test` (a second compile of Leptos)
msrv:
	bash scripts/check-msrv.sh

## packages: the crates as crates.io would get them (publish dry-run, file lists, docs)
packages: setup
	bash scripts/check-packages.sh

browser-tests:
	bash scripts/browser-tests.sh

## e2e: the <staff-bar> bundle on the sample non-Rust site, the demo walked as a user,
## and the bar as a Leptos island (tests/islands)
e2e: bundle
	trunk build --public-url /playground/
	npx playwright test -c tests/e2e/playwright.config.mjs element.spec.mjs never-missing.spec.mjs control.spec.mjs time.spec.mjs experience.spec.mjs hardening.spec.mjs security.spec.mjs size-budget.spec.mjs screenshots.spec.mjs playground.spec.mjs parity.spec.mjs peer-cases.spec.mjs demo.spec.mjs node-sdk.spec.mjs leptos-ssr.spec.mjs islands.spec.mjs package.spec.mjs

## weight: what the Leptos component costs a typical app's visitors, split and not,
## held to its budgets (scripts/bench-weight.sh; make bench prints the same figures)
weight: setup
	bash scripts/bench-weight.sh --check

## bundle: the distributable build in dist/
bundle: setup
	bash scripts/bundle.sh

## bundle-nightly / test-nightly: the optional smaller build (nightly build-std,
## immediate-abort panics) in dist-nightly/, and the same browser tests against it
bundle-nightly: setup
	STAFF_BAR_NIGHTLY=1 bash scripts/bundle.sh

test-nightly: bundle-nightly
	STAFF_BAR_DIST=dist-nightly npx playwright test -c tests/e2e/playwright.config.mjs element.spec.mjs experience.spec.mjs hardening.spec.mjs security.spec.mjs size-budget.spec.mjs

clean:
	cargo clean
	rm -rf dist dist-nightly

## bench: staff-bar against the React 19 peer in headless Chromium; prints a table, writes target/bench/results.json
bench: bundle
	bash scripts/bench.sh
.PHONY: bench
## load: 1,000 requests/second on the demo's session and sign-out endpoints for 30 s
load:
	bash scripts/load.sh
## fuzz: run every fuzz target for FUZZ_SECONDS (default 60) seconds each
fuzz:
	bash scripts/fuzz.sh
.PHONY: fuzz
