#!/usr/bin/env bash
# Builds the demo's /leptos page (demo/leptos-app) into target/demo-leptos/, which the
# demo server serves at /leptos/pkg/. Only this page: the <staff-bar> bundle is
# `make bundle`, the server is `cargo run -p staff-bar-demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/demo-leptos
cargo build --release --target wasm32-unknown-unknown -p staff-bar-demo-leptos
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name app \
  target/wasm32-unknown-unknown/release/staff-bar-demo-leptos.wasm
echo "built $out/app.js and $out/app_bg.wasm ($(wc -c < "$out/app_bg.wasm") bytes)"
