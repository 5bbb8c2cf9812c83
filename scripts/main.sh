#!/usr/bin/env bash
# The main job: sets up, builds, prints the Keras trainable-API walkthrough
# (the figures of Keras's transfer-learning guide, through Tanuki's API), then
# serves the page at http://127.0.0.1:8080/ (PORT=... to change the port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
node examples/trainable_walkthrough.mjs
echo
exec node scripts/serve.mjs
