#!/usr/bin/env bash
# The shipped crates build with the oldest Rust they declare (`rust-version`, 1.88), as
# a user on that Rust gets them: in a copy of the workspace whose lockfile is resolved
# for that Rust (cargo's MSRV-aware fallback: the newest version of each dependency
# that still supports it). Installs the toolchain with rustup when missing. Not part of
# `make test` (it compiles Leptos a second time, several minutes): `make msrv`.
set -euo pipefail
cd "$(dirname "$0")/.."

msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)
rustup toolchain list | grep -q "^$msrv" || rustup toolchain install "$msrv" --profile minimal
rustup target list --toolchain "$msrv" --installed | grep -q wasm32-unknown-unknown ||
  rustup target add wasm32-unknown-unknown --toolchain "$msrv"

copy=target/msrv-workspace
rm -rf "$copy"
mkdir -p "$copy"
git ls-files -z | xargs -0 cp --parents -t "$copy"
cd "$copy"
CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo +stable update -q
export CARGO_TARGET_DIR=../msrv-target
cargo +"$msrv" check -p staff-bar-core --all-features
cargo +"$msrv" check -p staff-bar --features ssr,split
cargo +"$msrv" check -p staff-bar --features hydrate,split --target wasm32-unknown-unknown
cargo +"$msrv" check -p staff-bar --no-default-features --target wasm32-unknown-unknown
echo "rust-version $msrv: ok"
