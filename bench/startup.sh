#!/usr/bin/env bash
# Time from JVM start to /health/ready of the all-in-one, and its resident memory once ready, cold
# (a new data folder: PostgreSQL runs initdb) and warm (the same folder again). Medians of RUNS runs.
# Usage: bench/startup.sh [RUNS]   (after: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
port=18080
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # data-dir -> "millis rss_kib"
  local data=$1 start pid ms rss
  start=$(date +%s%N)
  MESH_DATA_DIR=$data MESH_GATEWAY_PORT=$port MESH_REGISTRY_PORT=0 MESH_TRACKER_PORT=0 MESH_WIDGET_HOST_PORT=0 \
    MESH_CLUSTER_NAME=bench-$$ MESH_CLUSTER_PORT=25701 java -jar "$jar" > "$work/run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; then break; fi
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 1 # let start-up garbage settle before reading RSS
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  echo "$ms $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
cold=(); warm=()
for i in $(seq 1 "$runs"); do
  data="$work/data-$i"
  cold+=("$(measure "$data")")
  warm+=("$(measure "$data")")
done
printf '%s\n' "${cold[@]}" | awk '{print "cold run: " $1 " ms to ready, " int($2/1024) " MiB RSS"}'
printf '%s\n' "${warm[@]}" | awk '{print "warm run: " $1 " ms to ready, " int($2/1024) " MiB RSS"}'
echo "cold median: $(printf '%s\n' "${cold[@]}" | cut -d' ' -f1 | median) ms, $(( $(printf '%s\n' "${cold[@]}" | cut -d' ' -f2 | median) / 1024 )) MiB RSS"
echo "warm median: $(printf '%s\n' "${warm[@]}" | cut -d' ' -f1 | median) ms, $(( $(printf '%s\n' "${warm[@]}" | cut -d' ' -f2 | median) / 1024 )) MiB RSS"
