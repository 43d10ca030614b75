#!/usr/bin/env bash
# What embedding <Impersonation/> adds to a Leptos app's bundle: bench/embed built as a
# release CSR app without and with the bar, each through wasm-bindgen, wasm-opt -Oz and
# esbuild like a production Trunk build, then gzip -9; then twice more, with serde_json
# and with the bar's `serde` feature on top, for what that feature costs. Prints the
# sizes and writes target/bench/embed.json.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/bench/embed
mkdir -p "$out"
measure() {
  local name=$1; shift
  cargo build --release --target wasm32-unknown-unknown -p staff-bar-bench-embed "$@" --quiet
  wasm-bindgen --target web --no-typescript --out-dir "$out/$name" --out-name app \
    target/wasm32-unknown-unknown/release/staff-bar-bench-embed.wasm
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-mutable-globals --enable-multivalue \
    "$out/$name/app_bg.wasm" -o "$out/$name/app_bg.wasm"
  node_modules/.bin/esbuild "$out/$name/app.js" --minify --format=esm --target=es2022 \
    --log-level=warning --log-override:duplicate-object-key=silent --outfile="$out/$name/app.min.js"
  wasm_gz=$(gzip -9 -c "$out/$name/app_bg.wasm" | wc -c)
  js_gz=$(gzip -9 -c "$out/$name/app.min.js" | wc -c)
  echo "$name $wasm_gz $js_gz"
}
read -r _ base_wasm base_js < <(measure base)
read -r _ bar_wasm bar_js < <(measure bar --features bar)
read -r _ json_wasm json_js < <(measure json --features json)
read -r _ serde_wasm serde_js < <(measure serde --features serde)
added=$(( bar_wasm + bar_js - base_wasm - base_js ))
serde_added=$(( serde_wasm + serde_js - json_wasm - json_js ))
printf '\nembedding <Impersonation/> in a minimal Leptos CSR app (gzip -9):\n'
printf '  %-22s %9s %9s %9s\n' "" wasm js total
printf '  %-22s %9d %9d %9d\n' "app alone" "$base_wasm" "$base_js" $(( base_wasm + base_js ))
printf '  %-22s %9d %9d %9d\n' "app with the bar" "$bar_wasm" "$bar_js" $(( bar_wasm + bar_js ))
printf '  %-22s %9d B (%s KB; aim: under 15 KB)\n' "the bar adds" "$added" "$(awk "BEGIN { printf \"%.1f\", $added / 1024 }")"
printf '\nthe serde feature, for an app that already links serde_json (as SSR apps do):\n'
printf '  %-22s %9d %9d %9d\n' "bar + serde_json" "$json_wasm" "$json_js" $(( json_wasm + json_js ))
printf '  %-22s %9d %9d %9d\n' "bar + serde feature" "$serde_wasm" "$serde_js" $(( serde_wasm + serde_js ))
printf '  %-22s %9d B\n' "serde adds" "$serde_added"
cat > target/bench/embed.json <<JSON
{"app": {"wasm": $base_wasm, "js": $base_js}, "with_bar": {"wasm": $bar_wasm, "js": $bar_js}, "added": $added,
 "with_json": {"wasm": $json_wasm, "js": $json_js}, "with_serde": {"wasm": $serde_wasm, "js": $serde_js}, "serde_added": $serde_added}
JSON
