#!/usr/bin/env bash
# Refresh the dashboard's vendored Chart.js from the npm registry: bash scripts/vendor-chartjs.sh [VERSION]
# Copies dist/chart.umd.min.js and the license into src/tixmo/dashboard/static/vendor/; then update the
# version in that folder's README.md and check the pages (tests/dashboard).
set -euo pipefail
version="${1:-4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/src/tixmo/dashboard/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "chart.js@$version" --silent >/dev/null
tar xzf chart.js-*.tgz
cp package/dist/chart.umd.min.js "$vendor/chart.umd.min.js"
cp package/LICENSE.md "$vendor/chart.js-LICENSE.md"
echo "chart.js $(node -p 'require("./package/package.json").version') -> $vendor"
