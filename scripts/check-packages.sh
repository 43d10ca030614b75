#!/usr/bin/env bash
# The crates as crates.io would get them: `cargo publish --dry-run` for each crate that
# ships (staff-bar-core, staff-bar; the element ships through npm, not crates.io), and
# their file lists, which must hold the library and its licences and nothing of the
# repository's demo, benches, tests, fixtures, element or npm tooling.
set -euo pipefail
cd "$(dirname "$0")/.."

crates=(staff-bar-core staff-bar)
status=0
for crate in "${crates[@]}"; do
  files=$(cargo package -p "$crate" --list --allow-dirty 2>/dev/null)
  for needed in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE src/lib.rs; do
    grep -qx "$needed" <<<"$files" || { echo "FAIL: $crate's package lacks $needed"; status=1; }
  done
  stray=$(grep -E '^(demo|bench|tests|element|playground|fuzz|scripts|dist|docs|node_modules|target|\.ci)/|(^|/)fixtures/|package(-lock)?\.json$|\.spec\.mjs$' <<<"$files" || true)
  if [ -n "$stray" ]; then
    echo "FAIL: $crate's package holds files that do not ship:"
    sed 's/^/  /' <<<"$stray"
    status=1
  fi
  echo "$crate: $(wc -l <<<"$files") files"
done
[ "$status" -eq 0 ] || exit "$status"

# Packaging and building each crate from its package alone (with the workspace's
# unpublished staff-bar-core standing in for the registry's).
# Cargo takes a registry's crate for immutable: it reuses the packaged staff-bar-core it
# extracted (and compiled) last time although the package changed since, the version
# being the same. Both copies go first.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/staff-bar-core-[0-9]* "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/staff-bar-[0-9]*
# The verification builds in a target directory of its own, so cleaning that copy
# leaves the workspace's builds (and everything depending on the core) alone.
verify=target/package-verify
cargo clean -p staff-bar-core --target-dir "$verify" >/dev/null 2>&1 || true
out=$(cargo publish --dry-run --allow-dirty --target-dir "$verify" "${crates[@]/#/-p}" 2>&1) ||
  { echo "$out"; exit 1; }
grep -E 'Packaged|Uploading' <<<"$out"

# The docs as docs.rs builds them, with every warning an error.
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p staff-bar-core --all-features
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p staff-bar --features ssr,split
# The public API, item by item, against its snapshot in docs/api/ (a semver check for
# what is removed or renamed; scripts/public-api.mjs).
node scripts/public-api.mjs staff_bar_core
node scripts/public-api.mjs staff_bar
echo "packages: ok"
