#!/usr/bin/env bash
# The test command: sets up, builds, and runs every test.
#   1. core unit tests, native (doctest)
#   2. the same unit tests compiled to WebAssembly, under Node
#   3. JavaScript API tests (node:test), including the examples
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh

echo "== core unit tests (native)"
build/native/tanuki_tests --no-intro=true --no-colors=true

echo "== core unit tests (WebAssembly, Node)"
# Node 18+ has a global fetch() that the Emscripten 3.1.6 runner would use on a file path.
node --no-experimental-fetch build/wasm/tanuki_tests.js --no-intro=true --no-colors=true

echo "== JavaScript tests"
node --test --test-reporter=tap tests/js/
