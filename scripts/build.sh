#!/usr/bin/env bash
# Builds what changed: the native core and tests (build/native) and the
# WebAssembly module (dist/wasm) with its test runner (build/wasm).
#   TANUKI_DEBUG=1  WebAssembly debug build (assertions, -O1, debug info)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Debian's emscripten needs its own Node modules (acorn) for the optimizer.
export NODE_PATH=/usr/share/nodejs
jobs=$(nproc)
debug=$([[ "${TANUKI_DEBUG:-0}" == 1 ]] && echo ON || echo OFF)

configure() {  # dir, cmake command...
  local dir=$1; shift
  if [[ ! -f $dir/Makefile || $dir/.debug != "$debug" ]]; then
    mkdir -p "$dir"
    (cd "$dir" && "$@" -DCMAKE_BUILD_TYPE=Release -DTANUKI_DEBUG="$debug" ../.. >/dev/null)
    echo "$debug" > "$dir/.debug"
  fi
}

configure build/native cmake
make -s -C build/native -j"$jobs" ${TANUKI_NATIVE_TARGETS:-all}

configure build/wasm emcmake cmake
make -s -C build/wasm -j"$jobs" ${TANUKI_WASM_TARGETS:-all}

# The bundled backbone, decoded from the nsfwjs package (once).
node scripts/decode-backbone.mjs
