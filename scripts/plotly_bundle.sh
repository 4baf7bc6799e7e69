#!/usr/bin/env bash
# Builds finsam/report/plotly-finsam.min.js.gz: plotly.js with only the trace types the report draws
# (finsam.report.charts.RITADE_TYPER; scatter is in plotly's core), at the version the installed plotly package
# carries, minified and gzipped. A län page embeds it instead of the full bundle (1.3 MB instead of 4.8 MB before
# packing, 0.6 MB instead of 1.96 MB packed; finsam.report.html.plotly_packad). Needs node and npm (the registry's
# plotly.js and esbuild packages); run it when plotly is upgraded (a test fails until then, and the pages fall back
# to the full bundle) or RITADE_TYPER changes, and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(command -v uv || echo "python3 -m uv")
read -r VERSION TYPER < <($UV run --frozen python -c "
from plotly.offline import get_plotlyjs_version
from finsam.report.charts import RITADE_TYPER
print(get_plotlyjs_version(), ','.join(RITADE_TYPER))")
ESBUILD=0.28.2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --ignore-scripts \
    "plotly.js@$VERSION" "esbuild@$ESBUILD" >/dev/null)
{
  echo "var Plotly = require('plotly.js/lib/core');"
  echo "Plotly.register(["
  for t in ${TYPER//,/ }; do [ "$t" = scatter ] || echo "  require('plotly.js/lib/$t'),"; done
  echo "]);"
  echo "module.exports = Plotly;"
} > "$TMP/entry.js"
# plotly's own build settings (its esbuild-config.js), without the plugins only other traces need (glsl, CSS)
"$TMP/node_modules/.bin/esbuild" "$TMP/entry.js" --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --define:define.amd=false --define:process.env.NODE_DEBUG=false \
  --alias:stream=stream-browserify --loader:.css=empty --target=es2016 --legal-comments=none --log-level=warning \
  "--banner:js=/*! plotly.js v$VERSION (finsam: $TYPER), MIT licence, Copyright 2012-2026 Plotly, Inc. */" \
  --outfile="$TMP/plotly.min.js"
gzip -9nc "$TMP/plotly.min.js" > finsam/report/plotly-finsam.min.js.gz
echo "finsam/report/plotly-finsam.min.js.gz: plotly.js v$VERSION ($TYPER), $(wc -c < finsam/report/plotly-finsam.min.js.gz) bytes"
