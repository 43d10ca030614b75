#!/usr/bin/env bash
# Builds the demo the way a Leptos user builds an app: `cargo leptos build --release
# --split` (the `demo` project of the workspace's [[workspace.metadata.leptos]]) writes
# the /leptos pages' browser half (hydrate, wasm-opt, the bar in a chunk of its own)
# into target/demo-site/leptos/pkg/, which the demo server serves at /leptos/pkg/, and
# builds the demo server itself (which renders those pages with `ssr`) in the `serve`
# profile: a debug build that aborts on a panic, as production servers do. The
# <staff-bar> bundle is `make bundle`.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-bindgen and wasm-opt from PATH (cargo-leptos is installed with no_downloads).
export PATH="$PWD/node_modules/.bin:$PATH"

rm -rf target/demo-site/leptos/pkg
cargo leptos build --release --split --project demo
echo "built target/demo-site/leptos/pkg: $(ls target/demo-site/leptos/pkg | tr '\n' ' ')"
echo "built target/serve/staff-bar-demo"
