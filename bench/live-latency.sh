#!/usr/bin/env bash
# Time from a pixel request through the gateway to the live message on a page's bridge socket
# (bench/LiveLatency.java), against the all-in-one: gateway, collector, Kafka, the live feed, the bridge.
# Usage: bench/live-latency.sh [HITS]   (default 200; after: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
hits=${1:-200}
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
gateway=18380
work=$(mktemp -d)
mesh_pid=
stop() {
  local status=$?
  [ -n "$mesh_pid" ] && kill -TERM "$mesh_pid" 2>/dev/null && { wait "$mesh_pid" 2>/dev/null || true; }
  rm -rf "$work"
  exit $status
}
trap stop EXIT
MESH_DATA_DIR="$work/data" MESH_WIDGETS_DIR= MESH_GATEWAY_PORT=$gateway MESH_TRACKER_PORT=0 \
  MESH_REGISTRY_PORT=0 MESH_WIDGET_HOST_PORT=0 MESH_TRACKER_QUERY_PORT=0 MESH_KAFKA_EMBEDDED_PORT=18393 \
  MESH_CLUSTER_NAME=bench-live-$$ MESH_CLUSTER_PORT=25911 java -jar "$jar" > "$work/mesh.log" 2>&1 &
mesh_pid=$!
for _ in $(seq 1 1500); do curl -fs -o /dev/null "http://127.0.0.1:$gateway/health/ready" && break; sleep 0.02; done
curl -fs -o /dev/null "http://127.0.0.1:$gateway/health/ready" || { echo "Mesh did not start; log:" >&2; tail -20 "$work/mesh.log" >&2; exit 1; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"
java bench/LiveLatency.java "http://127.0.0.1:$gateway" "$hits" /m/s.gif
