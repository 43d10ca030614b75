#!/usr/bin/env bash
# Runs the wasm-bindgen browser tests in headless Chromium with the test site server
# (tests/site/server.mjs) answering the session and sign-out requests.
set -euo pipefail
cd "$(dirname "$0")/.."

# A fixed port keeps the compiled tests (which embed it) from rebuilding; a free one
# is taken when it is busy.
port=${STAFF_BAR_TEST_PORT:-4917}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then port=0; fi
mkdir -p target
node tests/site/server.mjs "$port" > target/test-site.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q listening target/test-site.log 2>/dev/null && break
  sleep 0.1
done
grep -q listening target/test-site.log || { cat target/test-site.log; echo "test site did not start"; exit 1; }

port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' target/test-site.log | head -1)
export STAFF_BAR_TEST_PORT=$port
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120}

echo "== browser tests: client-side rendering"
cargo test --target wasm32-unknown-unknown --features csr --test browser
echo "== browser tests: hydration of server-rendered markup"
cargo test --target wasm32-unknown-unknown --features hydrate --test hydrate
