#!/usr/bin/env bash
# The soak: the all-in-one under the tracking pixel at a fixed rate (half the peak measured by
# bench/pixel.sh: 4 258 req/s through the gateway in docs/measurements.md, so 2 100 by default) and
# 1 000 bridge clients listening to the live feed, for DURATION seconds (default 600). Every 30 s: the
# load's line (bench/Soak.java: hits, errors, sockets) and Mesh's heap after a full GC and its RSS,
# so that "flat memory after warm-up" can be read off the table. Not part of CI.
#
# Usage: bench/soak.sh [DURATION_SECONDS] [RATE] [CLIENTS]   (defaults 600 2100 1000)
#        after: mvn -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
rate=${2:-2100}
clients=${3:-1000}
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
gateway=18480
work=$(mktemp -d)
mesh_pid=
sampler_pid=
stop() {
  local status=$?
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$mesh_pid" ] && kill -TERM "$mesh_pid" 2>/dev/null && { wait "$mesh_pid" 2>/dev/null || true; }
  rm -rf "$work"
  exit $status
}
trap stop EXIT

MESH_DATA_DIR="$work/data" MESH_WIDGETS_DIR= MESH_GATEWAY_PORT=$gateway MESH_TRACKER_PORT=0 \
  MESH_REGISTRY_PORT=0 MESH_WIDGET_HOST_PORT=0 MESH_TRACKER_QUERY_PORT=0 MESH_KAFKA_EMBEDDED_PORT=18492 \
  MESH_CLUSTER_NAME=bench-soak-$$ MESH_CLUSTER_PORT=26901 \
  java -Xmx1g -jar "$jar" > "$work/mesh.log" 2>&1 &
mesh_pid=$!
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$gateway/health/ready" > /dev/null 2>&1 && break
  kill -0 "$mesh_pid" 2>/dev/null || { cat "$work/mesh.log"; exit 1; }
  sleep 0.5
done

sample() {
  echo "second,heap_after_gc_mib,rss_mib"
  local t=0
  while true; do
    jcmd "$mesh_pid" GC.run > /dev/null 2>&1 || true
    local used
    used=$(jcmd "$mesh_pid" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+' || echo 0)
    local rss
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$mesh_pid/status")
    echo "$t,$((used / 1024)),$((rss / 1024))"
    sleep 30
    t=$((t + 30))
  done
}
sample > "$work/memory.csv" &
sampler_pid=$!

echo "soak: ${duration}s, pixel at ${rate}/s, ${clients} bridge clients (Mesh pid $mesh_pid)"
status=0
java bench/Soak.java "$gateway" "$rate" "$duration" "$clients" || status=$?
kill "$sampler_pid" 2>/dev/null || true
sampler_pid=
echo
echo "memory of the Mesh process (heap after a full GC, RSS), every 30 s:"
cat "$work/memory.csv"
grep -c SEVERE "$work/mesh.log" | sed 's/^/SEVERE log lines: /' || true
exit $status
