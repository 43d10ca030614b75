#!/usr/bin/env bash
# Builds the demo's /leptos pages for the browser (demo/leptos-app with `hydrate`) into
# target/demo-leptos/, which the demo server serves at /leptos/pkg/, and the demo
# server itself (which renders those pages, `ssr`) in the `serve` profile: a debug
# build that aborts on a panic, as production servers do. The <staff-bar> bundle is
# `make bundle`.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/demo-leptos
cargo build --release --target wasm32-unknown-unknown -p staff-bar-demo-leptos --lib --features hydrate
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name app \
  target/wasm32-unknown-unknown/release/staff_bar_demo_leptos.wasm
# As a production build would: wasm-opt (binaryen from npm; see package.json).
if [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-mutable-globals --enable-multivalue \
    "$out/app_bg.wasm" -o "$out/app_bg.wasm"
fi
echo "built $out/app.js and $out/app_bg.wasm ($(wc -c < "$out/app_bg.wasm") bytes)"
cargo build --profile serve -p staff-bar-demo --bin staff-bar-demo
echo "built target/serve/staff-bar-demo"
