#!/usr/bin/env bash
# The examples the README links build as a user builds them, and the SSR one serves
# what it should: examples/csr for wasm (Trunk's target), examples/ssr's server and its
# browser half (split), and the server run once: an impersonated request gets the bar
# with its session carried in the host, an ordinary one neither.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -p staff-bar-example-csr --target wasm32-unknown-unknown
cargo build -p staff-bar-example-ssr --lib --features hydrate,split --target wasm32-unknown-unknown
cargo build -p staff-bar-example-ssr --features ssr

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
LEPTOS_OUTPUT_NAME=example LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  target/debug/staff-bar-example-ssr >target/example-ssr.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
node - "$port" <<'JS'
const base = `http://127.0.0.1:${process.argv[2]}`;
const fetchText = async (path) => {
  for (let attempt = 0; ; attempt++) {
    try { return await (await fetch(base + path)).text(); }
    catch (error) { if (attempt > 100) throw error; await new Promise((done) => setTimeout(done, 100)); }
  }
};
const host = (html) => html.match(/<div[^>]*class="staff-bar-host"[^>]*>/)?.[0] ?? "";
const impersonated = await fetchText("/?impersonate");
const visitor = await fetchText("/");
const failures = [];
if (!host(impersonated).includes('data-session="{&quot;user&quot;')) failures.push("the impersonated page's host carries no session");
if (!impersonated.includes('part="stop"')) failures.push("the impersonated page has no Stop");
if (host(visitor) === "" || host(visitor).includes("data-session")) failures.push("the visitor's page has no empty host");
if (visitor.includes('part="stop"')) failures.push("the visitor's page shows a bar");
if (failures.length) { console.error("FAIL: examples/ssr: " + failures.join("; ")); process.exit(1); }
console.log("examples: ok");
JS
