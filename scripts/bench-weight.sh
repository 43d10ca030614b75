#!/usr/bin/env bash
# What the bar costs the visitors of a typical Leptos app: bench/weight built by
# cargo-leptos in release (wasm-opt included) without the bar, with it split into its own
# chunk (`--split`, the `split` feature), and with it in the main bundle (no splitting).
# Each bundle is measured as gzip -9 of what the page loads: the main wasm and its JS
# glue (with its snippets, and the split loader), plus, for an impersonated page, the
# bar's chunks.
# Prints the figures and writes target/bench/weight.json; with --check, fails when a
# budget is exceeded (make test).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

check=false
[ "${1:-}" = "--check" ] && check=true
site=target/bench/weight/site/pkg
out=target/bench/weight
gz() { if [ -f "$1" ]; then gzip -9 -c "$1" | wc -c; else echo 0; fi; }
sum_gz() { local total=0 file; for file in "$@"; do total=$(( total + $(gz "$file") )); done; echo "$total"; }

build() {
  local name=$1 features=$2 split=$3
  rm -rf "$site"
  (cd bench/weight && cargo leptos build --release --frontend-only $split --lib-features "$features" >"../../$out-$name.log" 2>&1) ||
    { cat "$out-$name.log"; exit 1; }
  mkdir -p "$out/$name"
  rm -rf "${out:?}/$name"/*
  cp -r "$site"/* "$out/$name/"
}

mkdir -p "$out"
build base hydrate ""
build split hydrate,split --split
build whole hydrate,bar ""

# The glue's inline JavaScript snippets (the crates' `inline_js`) are imported by the
# main glue, so every page loads them.
visitor() { sum_gz "$out/$1/weight.wasm" "$out/$1/weight.js" "$out/$1"/__wasm_split*.js "$out/$1"/snippets/*/*.js; }
chunks() { sum_gz "$out/$1"/split_*.wasm "$out/$1"/chunk_*.wasm; }
base=$(visitor base)
split_visitor=$(visitor split)
split_chunks=$(chunks split)
whole=$(visitor whole)
visitor_added=$(( split_visitor - base ))
impersonated_added=$(( split_visitor + split_chunks - base ))
whole_added=$(( whole - base ))

kb() { awk "BEGIN { printf \"%.1f KB\", $1 / 1024 }"; }
printf '\nwhat <Impersonation/> costs a typical Leptos SSR + hydrate app (bench/weight; gzip -9):\n'
printf '  %-44s %8d B\n' "the app alone (wasm + JS)" "$base"
printf '  %-44s %8d B  %s (budget 2 KB)\n' "an ordinary visitor, split build, adds" "$visitor_added" "$(kb "$visitor_added")"
printf '  %-44s %8d B  %s (budget 20 KB)\n' "an impersonated page, split build, adds" "$impersonated_added" "$(kb "$impersonated_added")"
printf '  %-44s %8d B  %s (budget 15 KB)\n' "any page, build without splitting, adds" "$whole_added" "$(kb "$whole_added")"
# The islands app (tests/islands), built the same way without the bar (the browser's
# half without its `bar` feature) and with it: the bar is a lazy island, placed only
# on an impersonated page, whose code is a chunk of its own.
islands_site=target/islands-site/pkg
rm -rf "$islands_site"
cargo leptos build --release --split --project islands --frontend-only --lib-features hydrate \
  >"$out-islands-base.log" 2>&1 || { cat "$out-islands-base.log"; exit 1; }
islands_base=$(sum_gz "$islands_site/islands.wasm" "$islands_site/islands.js" "$islands_site"/__wasm_split*.js)
[ -z "$(ls "$islands_site"/split_*.wasm 2>/dev/null)" ] || { echo "FAIL: the islands app without the bar has a chunk"; exit 1; }
bash scripts/build-islands.sh >"$out-islands.log" 2>&1 || { cat "$out-islands.log"; exit 1; }
islands_visitor=$(sum_gz "$islands_site/islands.wasm" "$islands_site/islands.js" "$islands_site"/__wasm_split*.js "$islands_site"/snippets/*/*.js)
islands_chunks=$(sum_gz "$islands_site"/split_*.wasm)
islands_visitor_added=$(( islands_visitor - islands_base ))
islands_impersonated_added=$(( islands_visitor + islands_chunks - islands_base ))
printf '  %-44s %8d B\n' "the islands app alone (tests/islands)" "$islands_base"
printf '  %-44s %8d B  %s\n' "an islands app's visitor, lazy island, adds" "$islands_visitor_added" "$(kb "$islands_visitor_added")"
printf '  %-44s %8d B  %s\n' "an islands app's impersonated page adds" "$islands_impersonated_added" "$(kb "$islands_impersonated_added")"
cat > target/bench/weight.json <<JSON
{"app": $base, "visitor_added": $visitor_added, "impersonated_added": $impersonated_added,
 "chunks": $split_chunks, "unsplit_added": $whole_added, "islands_app": $islands_base,
 "islands_visitor_added": $islands_visitor_added, "islands_impersonated_added": $islands_impersonated_added}
JSON

# The budgets make test holds. The issue's aims (2 KB, 20 KB, 15 KB) are not met yet
# (docs/performance.md); these hold today's figures, so that any growth fails, and the
# first one fails outright if the bar's code lands in the main bundle again. Lowered
# (from 36,500 / 141,000 / 127,500) when the session came to the bar from the server's
# HTML (`server_session`), the visitor's stub shrank and the bar's view lost its
# `AnyView`s: 18,917 / 106,364 / 95,530 B; the visitor's to 18,700 when the stub stopped
# reading the preview prop in release builds (18,159 B); all three when the props lost
# `#[component]`'s builder: 17,090 / 105,402 / 94,593 B.
VISITOR_BUDGET=17600
IMPERSONATED_BUDGET=106000
UNSPLIT_BUDGET=95200
# An islands app's visitor: the lazy island's code stays in its chunk (13,293 B when set;
# the whole island in the main bundle is over 150 KB).
ISLANDS_VISITOR_BUDGET=14000
if $check; then
  status=0
  over() { echo "FAIL: $1 adds $2 B (budget $3 B)"; status=1; }
  [ "$visitor_added" -le "$VISITOR_BUDGET" ] || over "an ordinary visitor's page" "$visitor_added" "$VISITOR_BUDGET"
  [ "$impersonated_added" -le "$IMPERSONATED_BUDGET" ] ||
    over "an impersonated page" "$impersonated_added" "$IMPERSONATED_BUDGET"
  [ "$whole_added" -le "$UNSPLIT_BUDGET" ] || over "a page of the unsplit build" "$whole_added" "$UNSPLIT_BUDGET"
  [ "$islands_visitor_added" -le "$ISLANDS_VISITOR_BUDGET" ] ||
    over "an islands app's visitor" "$islands_visitor_added" "$ISLANDS_VISITOR_BUDGET"
  [ "$islands_chunks" -gt 0 ] || { echo "FAIL: the islands build wrote no chunk for the bar's island"; status=1; }
  [ "$split_chunks" -gt 0 ] || { echo "FAIL: the split build wrote no chunk for the bar"; status=1; }
  [ $(( visitor_added * 2 )) -lt "$whole_added" ] ||
    { echo "FAIL: splitting keeps less than half of the bar out of the visitor's bundle"; status=1; }
  [ $status = 0 ] && echo "weight budgets hold"
  exit $status
fi
