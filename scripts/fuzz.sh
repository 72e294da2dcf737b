#!/usr/bin/env bash
# Fuzzes the experiment-file parser and the results-file reader with libFuzzer (docs/fuzzing.md).
#   scripts/fuzz.sh [experiment|results|both] [seconds per target] [keep-going]
# (default: both, 600 s each). Builds with clang in build/fuzz (address and undefined-behaviour
# sanitizers) and fuzzes a working copy of the seeds in tests/fuzz/corpus (build/fuzz/corpus,
# kept between runs, so the committed seeds stay small). A run stops at its first crash, unless
# keep-going is given: then libFuzzer runs in fork mode and collects every crash it meets.
# Crashing inputs are left in build/fuzz/crashes and logs in build/fuzz/logs; the exit status is
# non-zero when a target found a crash, a leak, a timeout or an out-of-memory input.
set -euo pipefail
cd "$(dirname "$0")/.."

which_targets="${1:-both}"
seconds="${2:-600}"
keep_going="${3:-}"
case "$which_targets" in
  experiment) targets=(experiment) ;;
  results) targets=(results) ;;
  both) targets=(experiment results) ;;
  *) echo "usage: scripts/fuzz.sh [experiment|results|both] [seconds per target] [keep-going]" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz: seconds must be a whole number, not '$seconds'" >&2; exit 2; }
[[ -z "$keep_going" || "$keep_going" == keep-going ]] || { echo "fuzz: unknown option '$keep_going'" >&2; exit 2; }

export CC="${CC:-clang-14}" CXX="${CXX:-clang++-14}"
command -v "$CXX" >/dev/null || { echo "fuzz: $CXX not found (apt-get install clang-14 libclang-rt-14-dev libfuzzer-14-dev)" >&2; exit 1; }

# The library is instrumented too (fuzzer-no-link: coverage feedback without a second main());
# -O1 with debug information and assertions on, as fuzzing wants; undefined behaviour stops the run.
sanitize="-fsanitize=address,undefined -fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined"
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS="-O1 -g -fno-omit-frame-pointer $sanitize" \
  -DSPIKEGRAPH_BUILD_FUZZ=ON -DSPIKEGRAPH_BUILD_TESTS=OFF -DSPIKEGRAPH_BUILD_PYTHON=OFF >/dev/null
cmake --build build/fuzz --parallel "${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
  --target fuzz_experiment_file fuzz_results_reader

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p build/fuzz/crashes build/fuzz/logs
# The results target's scratch files (and fork mode's job folders) go here, not to /tmp: a crash
# leaves them behind.
rm -rf build/fuzz/tmp
mkdir -p build/fuzz/tmp
export TMPDIR="$PWD/build/fuzz/tmp"
mode=()
[ -n "$keep_going" ] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

status=0
for target in "${targets[@]}"; do
  case "$target" in
    # The example experiment files are 2-3 KB, the seed results files 25-27 KB. Reading a results
    # file takes milliseconds, so one still reading after 10 s is stuck in a loop.
    experiment) binary=fuzz_experiment_file; max_len=8192; timeout=60; limits=() ;;
    # The reader reads in child processes, where libhdf5 may try huge allocations on a damaged
    # file (which is how such a child fails): libFuzzer's per-allocation check, inherited by the
    # children, would report those from inside them. The fuzzer's own process stays capped by
    # -rss_limit_mb. In-process mode keeps the check.
    results) binary=fuzz_results_reader; max_len=32768; timeout=10
             limits=(); [ "${SPIKEGRAPH_FUZZ_IN_PROCESS:-0}" = 1 ] || limits=(-malloc_limit_mb=1048576) ;;
  esac
  corpus="build/fuzz/corpus/$target"
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/"$target"/* "$corpus"/
  log="build/fuzz/logs/$target.log"
  started="build/fuzz/logs/$target.started"
  touch "$started"
  echo "fuzz: $binary for $seconds s${keep_going:+ (keep going)} (log: $log)"
  set +e
  "build/fuzz/tests/fuzz/$binary" "$corpus" -dict="tests/fuzz/$target.dict" -max_len="$max_len" \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 "${limits[@]}" -print_final_stats=1 "${mode[@]}" \
    -artifact_prefix="build/fuzz/crashes/$target-" >"$log" 2>&1
  rc=$?
  set -e
  # In-process runs end with libFuzzer's statistics; fork mode reports its totals on status lines.
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  last_status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  found=$(find build/fuzz/crashes -name "$target-*" -newer "$started" | sort)
  echo "fuzz: $target: exit $rc${executions:+, $executions executions}; last status: ${last_status:-none}"
  if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
    status=1
    echo "fuzz: $target FAILED; the first report:" >&2
    grep -E -m 1 -A 30 '^==[0-9]+==ERROR|runtime error|deadly signal|uncaught exception|out-of-memory|timeout after' "$log" >&2 || true
    [ -z "$found" ] || sed 's/^/fuzz: crash input: /' <<<"$found" >&2
  fi
done
exit "$status"
