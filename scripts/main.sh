#!/usr/bin/env bash
# The main job: sets up, builds, and serves the page at http://127.0.0.1:8080/
# (PORT=... to change the port). The walkthrough runs with `npm run walkthrough`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec node scripts/serve.mjs
