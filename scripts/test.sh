#!/usr/bin/env bash
# The test command: sets up, builds, lints and runs every test.
#   0. ESLint over the JavaScript (eslint.config.js), clang-format over the C++ (.clang-format)
#   1. core unit tests, native (doctest)
#   2. the same unit tests compiled to WebAssembly, under Node, and the kernel and gradient
#      tests of the relaxed-SIMD build (fused multiply-add) under Node with relaxed SIMD on
#   3. JavaScript API tests (node:test), including the examples
#   4. browser tests: the page in Chromium (playwright-core), Firefox (puppeteer-core,
#      WebDriver BiDi) and WebKit (selenium-webdriver, WebKitWebDriver on Xvfb), in sequence
#      (tests/browser/run.mjs: a file failing in one engine only runs once more in it, and
#      what failed the first time is listed as flaky);
#      TANUKI_BROWSERS=chromium,firefox,webkit picks the engines (default: all installed)
#   5. the unit tests under ASan + UBSan, and a short run of every fuzz target
set -euo pipefail
cd "$(dirname "$0")/.."
# The browser tests need Chromium, Firefox ESR and WebKitGTK (TANUKI_WITH_BROWSER=0 skips
# installing them; their tests then skip, saying why).
export TANUKI_WITH_BROWSER="${TANUKI_WITH_BROWSER:-1}"
# Each stage's header says how long the run has taken so far: the whole suite
# is meant to stay under 45 minutes on a fresh 2-core machine.
stage() { printf '== %s [%dm%02ds]\n' "$1" $((SECONDS / 60)) $((SECONDS % 60)); }
stage "setup and build"
bash scripts/build.sh

stage "lint (ESLint, clang-format)"
npx eslint .
git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run --Werror

stage "core unit tests (native)"
build/native/tanuki_tests --no-intro=true --no-colors=true

stage "core unit tests (WebAssembly, Node)"
# Node 18+ has a global fetch() that the Emscripten 3.1.6 runner would use on a file path.
node --no-experimental-fetch build/wasm/tanuki_tests.js --no-intro=true --no-colors=true
stage "core kernel tests (WebAssembly relaxed SIMD, Node --experimental-wasm-relaxed-simd)"
node --no-experimental-fetch --experimental-wasm-relaxed-simd build/wasm/tanuki_tests_relaxed.js --no-intro=true --no-colors=true

stage "JavaScript tests"
node --test --test-reporter=tap tests/js/

stage "browser tests (the page and the library in ${TANUKI_BROWSERS:-chromium, firefox, webkit})"
node tests/browser/run.mjs

# A fixed number of runs from a fixed seed, so that every run of the test
# command tries the same inputs; longer, open-ended runs: see scripts/fuzz.sh.
export FUZZ_RUNS="${FUZZ_RUNS:-20000}"
stage "sanitizers and fuzzing (ASan + UBSan unit tests, $FUZZ_RUNS inputs per fuzz target)"
bash scripts/fuzz.sh
stage "done"
