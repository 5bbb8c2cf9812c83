#!/usr/bin/env bash
# The main job: sets up, builds, and runs the Keras trainable-API walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
node examples/trainable_walkthrough.mjs
