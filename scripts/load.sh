#!/usr/bin/env bash
# `make load`: the load test of issue 8. Builds the demo in release (the server and the
# load generator, two binaries of demo/), starts the server on a free port with its log
# in target/load/server.log, runs staff-bar-load against it as a second process, stops
# the server and prints the figures (also kept in target/load/report.txt). Exits with
# the load generator's status: non-zero on any error or mix-up, or under 95% of the rate.
#
# Arguments go to the load generator, e.g. `bash scripts/load.sh --rate 500 --duration 10`
# (defaults: 1000 req/s for 30 s, 50 users). The server logs at RUST_LOG=info, one line
# per request, unless RUST_LOG says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
cargo build --release -p staff-bar-demo --bins

mkdir -p "$target/load"
log="$target/load/server.log"
export RUST_LOG="${RUST_LOG:-info}"
PORT=0 "$target/release/staff-bar-demo" >"$log" 2>&1 &
server=$!
stop() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT

url=""
for _ in $(seq 100); do
  url=$(sed -n 's|^staff-bar demo: \(http://127\.0\.0\.1:[0-9]*\)/$|\1|p' "$log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "load: the server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "load: the server printed no address within 10 s (see $log)" >&2
  exit 1
fi
echo "load: server $url (release, RUST_LOG=$RUST_LOG, log in $log), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

status=0
"$target/release/staff-bar-load" --url "$url" "$@" | tee "$target/load/report.txt" || status=$?
stop
trap - EXIT
echo "load: server log $(wc -l <"$log") lines; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
