#!/usr/bin/env bash
# Registry (issue 9, item 4): list and get per second and latency percentiles, through the gateway
# (/api/widgets, what pages use) and on the registry's own port, against a plain Vert.x server
# answering the same JSON bodies from memory (bench's JsonServer), measured in the same run; then the
# time from a cluster member's death (SIGKILL of a widget-host JVM) to its widget's expiry in the
# change feed, as a page's bridge socket sees it.
#
# Servers on core 0 (the all-in-one, the reference), load on core 1. Throughput: wrk -t1 -c32 (closed
# loop, the peak), RUNS runs of DURATION, median. Percentiles: PixelLoad at a fixed RATE per second
# (open model, latency from the intended send time). Member death: DEATHS runs.
#
# Usage: bench/registry.sh [RUNS] [DURATION] [RATE] [DEATHS]   (defaults 3 10s 1000 5)
#        after mvn -B -DskipTests package; needs wrk (apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duration=${2:-10s}
rate=${3:-1000}
deaths=${4:-5}
warmup=5s
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] && [ -f bench/target/classpath.txt ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
server_cpu=0
client_cpu=1
[ "$(nproc)" -ge 2 ] || client_cpu=0
gateway=18580
registry=18581
reference=18589
cluster_port=26101
cluster="bench-registry-$$"
# shellcheck source=bench/lib.sh
. bench/lib.sh
export MESH_CLUSTER_NAME=$cluster MESH_CLUSTER_MEMBERS=127.0.0.1:$cluster_port
MESH_REGISTRY_PORT=$registry start_mesh $gateway 18592 $cluster_port
# the example widgets are listed once the widget-host registered them
for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$gateway/api/widgets/sales-chart" && break; sleep 0.02; done
list=/api/widgets
get=/api/widgets/sales-chart
curl -fs "http://127.0.0.1:$registry$list" > "$work/list.json"
curl -fs "http://127.0.0.1:$registry$get" > "$work/get.json"
taskset -c $server_cpu java -cp "$cp" dev.mesh.bench.JsonServer --port $reference \
  --route "$list=$work/list.json" --route "$get=$work/get.json" > "$work/ref.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 500); do curl -fs -o /dev/null "http://127.0.0.1:$reference$get" && break; sleep 0.02; done

echo "machine: $(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}')), $(free -g | awk '/Mem/ {print $2}') GiB; $(java -version 2>&1 | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"
echo "list: $(wc -c < "$work/list.json") bytes ($(grep -o '"id"' "$work/list.json" | wc -l) ids); get: $(wc -c < "$work/get.json") bytes"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rows=()
measure() { # name url
  local name=$1 url=$2 r=() out
  taskset -c $client_cpu wrk -t1 -c32 -d"$warmup" "$url" > /dev/null
  for _ in $(seq 1 "$runs"); do
    out=$(taskset -c $client_cpu wrk -t1 -c32 -d"$duration" "$url")
    if echo "$out" | grep -q "Non-2xx"; then echo "$name answered errors: $out" >&2; exit 1; fi
    r+=("$(echo "$out" | awk '/^Requests\/sec/ {print $2}')")
  done
  echo "  $name: req/s ${r[*]}" >&2
  # | name | req/s median | target/s | achieved/s | errors | p50 | p99 | p99.9 | max |
  out=$(taskset -c $client_cpu java -cp "$cp" dev.mesh.bench.PixelLoad --url "$url" --rate "$rate" \
    --duration "$duration" --warmup 2s --connections 32 --name "$name")
  echo "$out" | grep '^note' | sed "s/^/  $name: /" >&2 || true
  out=$(echo "$out" | tail -1)
  rows+=("| $name | $(printf '%s\n' "${r[@]}" | median) ${out#| $name }")
}
for what in list get; do
  path=$list; [ $what = get ] && path=$get
  measure "$what, reference (JsonServer)" "http://127.0.0.1:$reference$path"
  measure "$what, registry :$registry" "http://127.0.0.1:$registry$path"
  measure "$what, through the gateway" "http://127.0.0.1:$gateway$path"
done
echo
echo "| what | req/s (wrk -c32, median of $runs) | fixed rate /s | achieved /s | errors | p50 ms | p99 ms | p99.9 ms | max ms |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "member death -> expiry ($deaths runs; MESH_CLUSTER_MEMBER_TIMEOUT_SECONDS and MESH_REGISTRY_SWEEP_MILLIS at their defaults):"
out=$(taskset -c $client_cpu java -cp "$cp" dev.mesh.bench.MemberDeath --gateway "http://127.0.0.1:$gateway" --jar "$jar" \
  --runs "$deaths" --work "$work/deaths") || { echo "$out" >&2; exit 1; }
echo "$out" | grep '^run' >&2
echo "| what | runs | min | median | max |"
echo "|---|---|---|---|---|"
echo "$out" | grep '^|'
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
