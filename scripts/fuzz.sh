#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for FUZZ_SECONDS (default 60) seconds and reports, per
# target, how many inputs libFuzzer executed and whether it found anything.
#
# cargo-fuzz needs a nightly toolchain; cargo-fuzz itself is installed when missing.
# The committed seed corpus in fuzz/corpus/<target>/ is only read: inputs that reach new
# code are kept in fuzz/work/<target>/ (ignored by git, reused by the next run), and a
# crashing input lands in fuzz/artifacts/<target>/ with the log in fuzz/target/logs/.
#
#   FUZZ_SECONDS     seconds per target (default 60)
#   FUZZ_TARGETS     which targets, space-separated (default: every one)
#   FUZZ_SANITIZER   address, leak, memory, thread or none (default none: the parsers are
#                    safe Rust, where a memory error cannot happen without a panic first,
#                    and AddressSanitizer would halve the executions)
#   FUZZ_TOOLCHAIN   the nightly toolchain to build with (default nightly)
#
# Exits non-zero when any target found a crash.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
sanitizer=${FUZZ_SANITIZER:-none}
toolchain=${FUZZ_TOOLCHAIN:-nightly}

if ! cargo +"$toolchain" --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz needs a nightly toolchain: rustup toolchain install $toolchain" >&2
  exit 1
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

targets=${FUZZ_TARGETS:-$(cargo +"$toolchain" fuzz list)}
logs=fuzz/target/logs
mkdir -p "$logs"

echo "fuzz: building the targets (sanitizer: $sanitizer)"
cargo +"$toolchain" fuzz build -s "$sanitizer"

found=0
report=()
for target in $targets; do
  mkdir -p "fuzz/work/$target" "fuzz/artifacts/$target"
  log="$logs/$target.log"
  seeds=()
  if [[ -d "fuzz/corpus/$target" ]]; then
    seeds+=("fuzz/corpus/$target")
  fi
  extra=()
  if [[ -f "fuzz/dicts/$target.dict" ]]; then
    extra+=("-dict=fuzz/dicts/$target.dict")
  fi
  artifacts_before=$(find "fuzz/artifacts/$target" -type f | sort)

  echo "fuzz: $target for ${seconds}s (log: $log)"
  status=0
  cargo +"$toolchain" fuzz run -s "$sanitizer" "$target" "fuzz/work/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 || status=$?

  # libFuzzer's last words on a clean run: "Done 1234567 runs in 61 second(s)".
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  secs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "$log" | tail -1)
  if [[ -z "$runs" ]]; then
    # Stopped early (a crash): the final stats still count what ran.
    runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  fi
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -1 || true)
  artifacts_after=$(find "fuzz/artifacts/$target" -type f | sort)
  crash=$(comm -13 <(echo "$artifacts_before") <(echo "$artifacts_after") | head -1)

  line=$(printf '%-10s %12s runs in %s s  %s' "$target" "${runs:-?}" "${secs:-?}" "${coverage:-}")
  if [[ $status -ne 0 || -n "$crash" ]]; then
    found=1
    line="$line  FOUND: exit $status, ${crash:-see $log}"
    grep -m1 -E "panicked at|ERROR: libFuzzer|SUMMARY" "$log" | sed 's/^/           /' || true
  else
    line="$line  nothing found"
  fi
  report+=("$line")
done

echo
echo "fuzz: ${seconds}s per target, sanitizer $sanitizer"
printf '%s\n' "${report[@]}"
exit $found
