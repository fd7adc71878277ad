#!/usr/bin/env bash
# How long a widget folder dropped into the all-in-one's widgets folder takes to be listed by the
# registry through the gateway, and to leave it once the folder is removed. Reference, measured in
# the same run against the same process: a REST registration (PUT) until it is listed.
# Also: the example widgets' bundle sizes and the time to fetch each through the gateway.
# Usage: bench/widget-drop.sh [RUNS]   (after: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
port=18090
base="http://127.0.0.1:$port"
work=$(mktemp -d)
widgets="$work/widgets"
mkdir -p "$widgets"
MESH_DATA_DIR="$work/data" MESH_WIDGETS_DIR="$widgets" MESH_GATEWAY_PORT=$port MESH_REGISTRY_PORT=0 \
  MESH_TRACKER_PORT=0 MESH_WIDGET_HOST_PORT=0 MESH_CLUSTER_NAME=bench-drop-$$ MESH_CLUSTER_PORT=25801 \
  java -jar "$jar" > "$work/mesh.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 900); do curl -fs -o /dev/null "$base/health/ready" && break; sleep 0.02; done

now() { date +%s%N; }
# polls every 10 ms until the widget's GET answers the given status; prints elapsed ms since $2
wait_status() { local id=$1 start=$2 want=$3
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/widgets/$id")" = "$want" ]; do sleep 0.01; done
  echo $(( ($(now) - start) / 1000000 ))
}
stats() { sort -n | awk '{a[NR]=$1} END {printf "min %d, median %d, p90 %d, max %d ms (n=%d)\n", a[1], a[int((NR+1)/2)], a[int(NR*0.9+0.5)], a[NR], NR}'; }

appear=(); leave=(); rest=()
for i in $(seq 1 "$runs"); do
  id="drop-$i"
  mkdir "$work/$id"
  echo "customElements.define('x-$id', class extends HTMLElement {});" > "$work/$id/w.js"
  printf '{"tag":"x-%s","label":"Drop %s","module":"w.js","version":"1.0.0","owner":"bench","domain":"bench","domainKind":"consumer-aligned"}' "$id" "$i" > "$work/$id/manifest.json"
  start=$(now); mv "$work/$id" "$widgets/$id"          # one rename: the folder appears complete
  appear+=("$(wait_status "$id" "$start" 200)")
  start=$(now); rm -rf "$widgets/$id"
  leave+=("$(wait_status "$id" "$start" 404)")
  start=$(now)
  curl -s -o /dev/null -X PUT "$base/api/widgets/rest-$i" -H 'Content-Type: application/json' \
    -d '{"tag":"x-rest","label":"REST","module":"https://cdn.example/w.js","version":"1.0.0","owner":"bench","domain":"bench","domainKind":"consumer-aligned"}'
  rest+=("$(wait_status "rest-$i" "$start" 200)")
done
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), MESH_WIDGETS_SCAN_MILLIS default (500)"
echo "folder dropped -> listed:     $(printf '%s\n' "${appear[@]}" | stats)"
echo "folder removed -> unlisted:   $(printf '%s\n' "${leave[@]}" | stats)"
echo "reference, REST PUT -> listed: $(printf '%s\n' "${rest[@]}" | stats)"
for id in sales-table sales-chart sales-kpis; do
  module=$(curl -s "$base/api/widgets/$id" | sed -E 's/.*"module":"([^"]+)".*/\1/')
  curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w "$id: $module %{size_download} bytes gzip, %{time_total}s through the gateway\n" "$base$module"
done
