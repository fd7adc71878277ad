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
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_mesh $gateway 18492 26901 -Xmx1g

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
pids+=($sampler_pid)

echo "soak: ${duration}s, pixel at ${rate}/s, ${clients} bridge clients (Mesh pid $mesh_pid)"
status=0
java bench/Soak.java "$gateway" "$rate" "$duration" "$clients" || status=$?
kill "$sampler_pid" 2>/dev/null || true
echo
echo "memory of the Mesh process (heap after a full GC, RSS), every 30 s:"
cat "$work/memory.csv"
grep -c SEVERE "$work/mesh.log" | sed 's/^/SEVERE log lines: /' || true
exit $status
