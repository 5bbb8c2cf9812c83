#!/usr/bin/env bash
# Builds the sanitized configuration (clang, ASan + UBSan): runs the core unit
# tests under the sanitizers, then each libFuzzer target for FUZZ_SECONDS
# (default 30) on its seed corpus in tests/fuzz/corpus/<target>.
# A crash leaves its input in build/fuzz/findings/; add it to the corpus and
# a regression test once fixed. Longer runs: FUZZ_SECONDS=3600 bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
# FUZZ_RUNS=N makes a run reproducible: N inputs from a fixed seed (the test
# command uses this, so that CI tries exactly the inputs tried before).
limit=(-max_total_time="$seconds")
budget="${seconds}s"
if [[ -n ${FUZZ_RUNS:-} ]]; then
  limit=(-runs="$FUZZ_RUNS" -seed=1)
  budget="$FUZZ_RUNS runs, seed 1"
fi

if [[ ! -f build/fuzz/Makefile ]]; then
  mkdir -p build/fuzz
  (cd build/fuzz && CXX=clang++ cmake -DCMAKE_BUILD_TYPE=Debug -DTANUKI_FUZZ=ON ../.. >/dev/null)
fi
make -s -C build/fuzz -j"$(nproc)"

echo "== core unit tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  build/fuzz/tanuki_tests --no-intro=true --no-colors=true

mkdir -p build/fuzz/findings
status=0
for target in build/fuzz/fuzz_*; do
  [[ -x $target ]] || continue
  name=$(basename "$target")
  corpus=tests/fuzz/corpus/${name#fuzz_}
  work=build/fuzz/corpus-${name#fuzz_}
  mkdir -p "$work"
  echo "== $name ($budget)"
  if ! "$target" "${limit[@]}" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix=build/fuzz/findings/"$name"- -print_final_stats=0 "$work" "$corpus" 2>build/fuzz/"$name".log; then
    echo "$name: FAILED (see build/fuzz/$name.log and build/fuzz/findings/)"
    tail -30 build/fuzz/"$name".log
    status=1
  else
    echo "$name: $(grep -c . build/fuzz/"$name".log) log lines, no crash"
  fi
done
exit $status
