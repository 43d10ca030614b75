#!/usr/bin/env bash
# Builds dist/: the <staff-bar> bundle for non-Rust sites.
#   staff-bar.js            the loader (the only file a page references)
#   staff-bar-core.js       wasm-bindgen glue, loaded only while impersonating
#   staff-bar-core_bg.wasm  the bar and all parsing, size-optimized
#   staff-bar.d.ts, package.json, custom-elements.json, README.md   for npm, bundlers,
#                           TypeScript and editors
#
# STAFF_BAR_NIGHTLY=1 builds the optional smaller variant into dist-nightly/ instead:
# nightly Rust rebuilding std with panics that abort at once, no panic messages or
# locations (about 3.5 KB less gzip). The stable build stays the default.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${STAFF_BAR_NIGHTLY:-}" ]; then
  rustup component list --toolchain nightly --installed | grep -q rust-src ||
    rustup component add rust-src --toolchain nightly
  out=target/bundle-nightly
  dist=dist-nightly
  wasm=target/nightly/wasm32-unknown-unknown/release/staff_bar_element.wasm
  rm -rf "$out" "$dist"
  mkdir -p "$out" "$dist"
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    cargo +nightly build --release --target wasm32-unknown-unknown -p staff-bar-element \
    --target-dir target/nightly -Z build-std=std,panic_abort
else
  out=target/bundle
  dist=dist
  wasm=target/wasm32-unknown-unknown/release/staff_bar_element.wasm
  rm -rf "$out" "$dist"
  mkdir -p "$out" "$dist"
  cargo build --release --target wasm32-unknown-unknown -p staff-bar-element
fi
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name staff-bar-core "$wasm"
# binaryen from npm (package.json): Debian's wasm-opt 108 breaks the externref table.
# Flattening and re-looping before -Oz lets it fold the control flow further: about
# 0.3 KB gzip less than -Oz alone (docs/performance.md).
node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
  --enable-mutable-globals --enable-multivalue \
  "$out/staff-bar-core_bg.wasm" -o "$dist/staff-bar-core_bg.wasm"
# Minified: the loader is all an ordinary visitor downloads (target: at most 2 KB gzip).
node_modules/.bin/esbuild element/js/staff-bar.js --minify --format=esm --target=es2022 \
  --log-level=warning --outfile="$dist/staff-bar.js"
# The plain notice with Stop that stands in for the bar while the core cannot be loaded;
# the loader imports it only then, so it is apart from what every visitor downloads.
node_modules/.bin/esbuild element/js/staff-bar-fallback.js --minify --format=esm --target=es2022 \
  --log-level=warning --outfile="$dist/staff-bar-fallback.js"
# The glue, bundled from an entry that re-exports only what the loader uses, so the
# rest (initSync and its helpers) is shaken out, with the crate's inline JavaScript
# snippets. wasm-bindgen names one snippet module twice in its import object (for its
# plain and its shimmed imports): the same module, so esbuild's warning is silenced.
printf 'export { default, StaffBar } from "./staff-bar-core.js";\n' > "$out/entry.js"
node_modules/.bin/esbuild "$out/entry.js" --bundle --minify --format=esm --target=es2022 \
  --log-level=warning --log-override:duplicate-object-key=silent --outfile="$dist/staff-bar-core.js"
cp element/js/staff-bar.d.ts element/js/package.json element/js/README.md LICENSE-MIT LICENSE-APACHE "$dist/"
# The Custom Elements Manifest, from the element's one list of attributes, events, parts.
node scripts/custom-elements.mjs "$dist/custom-elements.json"

for file in "$dist"/*; do
  printf '%-28s %8d bytes  %7d gzip\n' "${file#"$dist"/}" "$(wc -c < "$file")" "$(gzip -9 -c "$file" | wc -c)"
done
