#!/usr/bin/env bash
# Installs what Tanuki needs and is missing: Debian packages (toolchains,
# header-only libraries, a browser for tests) and the npm dev dependencies.
# Installs nothing that is already there, so a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(cmake make g++ clang libclang-rt-14-dev imagemagick emscripten libeigen3-dev doctest-dev nlohmann-json3-dev libstb-dev libprotozero-dev python3-onnx libonnx-testdata dataset-fashion-mnist clang-format)
if [[ "${TANUKI_WITH_BROWSER:-0}" == 1 ]]; then APT_PACKAGES+=(chromium firefox-esr webkit2gtk-driver xvfb xauth); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then missing+=("$pkg"); fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) != 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null || (( $(node -p 'process.versions.node.split(".")[0]') < 20 )); then
  echo "setup: Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install. Install
# scripts stay off: onnxruntime-node's would download a GPU build from a host
# outside the npm registry (its CPU binary ships in the package), and
# esbuild's platform binary comes as an optional dependency.
stamp=node_modules/.tanuki-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "setup: npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  mkdir -p node_modules && echo "$want" > "$stamp"
fi
