#!/usr/bin/env bash
# Builds the islands app (tests/islands: the bar as a lazy Leptos island) the way a
# Leptos user builds one: `cargo leptos build --release --split --project islands`
# writes its site to target/islands-site/ (the island's code in a chunk of its own) and
# its server to target/serve/staff-bar-islands.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
cargo leptos build --release --split --project islands
