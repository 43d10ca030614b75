#!/usr/bin/env bash
# Installs what staff-bar's builds and tests need on a fresh Debian machine, and skips
# whatever is already there. Safe to run again and again (`make setup`).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

apt_packages=()
command -v chromium >/dev/null || apt_packages+=(chromium)
command -v chromedriver >/dev/null || apt_packages+=(chromium-driver)
command -v node >/dev/null || apt_packages+=(nodejs)
command -v npm >/dev/null || apt_packages+=(npm)
if ((${#apt_packages[@]})); then
  log "apt-get install ${apt_packages[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must be exactly the wasm-bindgen version in Cargo.lock, or the generated
# glue and the test runner do not match the crate.
wanted=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$wanted" ]; then
  log "cargo install wasm-bindgen-cli $wanted (have: ${have:-none})"
  # Not --locked: its lock file pins a crate the registry here lacks.
  cargo install wasm-bindgen-cli --version "$wanted"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  log "cargo install trunk 0.21.14"
  # --locked: without it a newer cssparser breaks the build. 0.22 needs a newer rustc.
  cargo install --locked trunk --version 0.21.14
fi

# cargo-leptos builds the demo's Leptos app with code splitting (`--split`). 0.3.11 needs a
# newer rustc; `no_downloads` makes it use the wasm-bindgen and wasm-opt on PATH, since
# nothing outside the package registries is reachable. About 18 minutes on 2 cores, once.
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos 0.3.10" ]; then
  log "cargo install cargo-leptos 0.3.10"
  cargo install --locked cargo-leptos --version 0.3.10 --features no_downloads
fi

# JavaScript tooling: Playwright and axe-core for the end-to-end tests, and binaryen's
# wasm-opt (Debian's version 108 miscompiles wasm-bindgen's reference-type tables).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

log "ready"
