#!/usr/bin/env bash
# `make bench`: staff-bar (dist/, built by `make bundle`) against the React 19 peer in
# headless Chromium. Builds the peer with esbuild, then measures both side by side;
# prints a table and writes target/bench/results.json. BENCH_RUNS sets the run count.
set -euo pipefail
cd "$(dirname "$0")/.."

for file in dist/staff-bar.js dist/staff-bar-core.js dist/staff-bar-core_bg.wasm; do
  [ -f "$file" ] || { echo "bench: $file is missing; run make bundle" >&2; exit 1; }
done
node bench/build-react.mjs
node bench/run.mjs
bash scripts/bench-embed.sh
bash scripts/bench-weight.sh
