#!/usr/bin/env bash
# Time to first widget rendered in Chromium (issue 9, item 5): the dashboard's first visit on the
# all-in-one (sales table and chart side by side) against a bare golden-layout page with two plain
# custom elements (bench/src/main/reference, bundled here by the gateway's esbuild), served by a plain
# Vert.x static server, same run, same browser, alternated. Each navigation in a fresh context.
#
# Usage: bench/first-widget.sh [RUNS]   (default 20; after mvn -B -DskipTests package, which also
#        installs the gateway's npm packages; needs Debian's chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
jar=all-in-one/target/mesh.jar
frontend=gateway/src/main/frontend
[ -f "$jar" ] && [ -f bench/target/classpath.txt ] && [ -x $frontend/node_modules/.bin/esbuild ] \
  || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
port=18680
# shellcheck source=bench/lib.sh
. bench/lib.sh
mkdir -p "$work/ref"
cp bench/src/main/reference/index.html "$work/ref/"
# built like the dashboard (build.mjs): ES module, minified, ES2022
NODE_PATH=$frontend/node_modules $frontend/node_modules/.bin/esbuild bench/src/main/reference/two-elements.js \
  --bundle --format=esm --minify --target=es2022 --log-level=warning --outfile="$work/ref/two-elements.js"
start_mesh $port 18692 26201
for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/widgets/sales-chart" && break; sleep 0.02; done
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(/usr/bin/chromium --version 2>/dev/null | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"
java -cp "$cp" dev.mesh.bench.FirstWidget --url "http://127.0.0.1:$port/" --reference "$work/ref" --runs "$runs"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
