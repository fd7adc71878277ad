#!/usr/bin/env bash
# Bridge fan-out (issue 9, item 3): N SockJS WebSocket clients on the gateway's /eventbus, each
# registered on its own session feed and on the public feed mesh.tracker.live, messages published at
# fixed rates with their publish time inside; publish-to-receive latency and deliveries per server
# CPU-second. Reference in the same run: bench's RawBroadcast (a bare Vert.x WebSocket broadcast
# server), same clients, rates and payload.
#
# The all-in-one and RawBroadcast run on core 0 (taskset); the clients and the publisher (FanOut, one
# JVM) on core 1. For the bridge, FanOut joins the all-in-one's Hazelcast cluster and publishes on its
# event bus like a service: the gateway runs unchanged. Server CPU is the whole server JVM's
# (/proc/PID/stat, utime+stime) over the measured window: for the all-in-one that includes its other
# services idling (a few % of a core; see docs/benchmarks.md).
#
# Each size gets RATE deliveries per second: 90% as public messages (RATE*0.9/N per second, each to
# every client) and 10% as session messages (RATE*0.1 per second, round robin over the clients).
#
# Usage: bench/fanout.sh [CLIENTS] [DURATION] [RATE]   e.g. bench/fanout.sh 1000,5000,10000 20s 100000
#        defaults 1000,5000,10000 20s 100000; set JFR=/path/x.jfr to record the gateway JVM during the
#        last bridge run. After: mvn -B -DskipTests package (all-in-one jar and bench module).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-1000,5000,10000}
duration=${2:-20s}
rate=${3:-100000}
warmup=5s
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] && [ -f bench/target/classpath.txt ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
server_cpu=0
client_cpu=1
[ "$(nproc)" -ge 2 ] || { client_cpu=0; echo "one core only: clients share it with the servers" >&2; }
ulimit -n "$(ulimit -Hn)" # 10k clients: 10k sockets in each of the client and server processes

gateway=18480
raw=18490
cluster_port=26001
# shellcheck source=bench/lib.sh
. bench/lib.sh

cluster="bench-fanout-$$"
taskset -c $server_cpu java -cp "$cp" dev.mesh.bench.RawBroadcast $raw > "$work/raw.log" 2>&1 &
raw_pid=$!
pids+=($raw_pid)
MESH_CLUSTER_NAME=$cluster start_mesh $gateway 18492 $cluster_port

echo "machine: $(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}')), $(free -g | awk '/Mem/ {print $2}') GiB; $(java -version 2>&1 | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"
echo "servers on core $server_cpu, clients and publisher on core $client_cpu; $rate deliveries/s target per size; $duration measured after $warmup"

rows=()
IFS=, read -r -a counts <<< "$sizes"
last=${counts[${#counts[@]}-1]}
for n in "${counts[@]}"; do
  public=$(awk -v r="$rate" -v n="$n" 'BEGIN {printf "%.3f", r * 0.9 / n}')
  session=$(awk -v r="$rate" 'BEGIN {printf "%.0f", r * 0.1}')
  common=(--clients "$n" --public-rate "$public" --session-rate "$session" --duration "$duration" --warmup "$warmup")
  out=$(taskset -c $client_cpu java -cp "$cp" dev.mesh.bench.FanOut --target raw --url "http://127.0.0.1:$raw" \
    --server-pid $raw_pid --name "raw Vert.x WebSocket" "${common[@]}" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$out" | grep -v '^ROW' >&2
  rows+=("$(echo "$out" | sed -n 's/^ROW //p')")
  if [ -n "${JFR:-}" ] && [ "$n" = "$last" ]; then jcmd $mesh_pid JFR.start name=fanout settings=profile > /dev/null; fi
  out=$(MESH_CLUSTER_NAME=$cluster MESH_CLUSTER_MEMBERS=127.0.0.1:$cluster_port MESH_CLUSTER_PORT=$((cluster_port + 10)) \
    MESH_DATA_DIR="$work/client" taskset -c $client_cpu java -cp "$cp" dev.mesh.bench.FanOut --target bridge \
    --url "http://127.0.0.1:$gateway" --server-pid $mesh_pid --name "Mesh bridge" "${common[@]}" 2>&1) || { echo "$out" | tail -30 >&2; exit 1; }
  echo "$out" | grep -E '^Mesh bridge' >&2
  rows+=("$(echo "$out" | sed -n 's/^ROW //p')")
  if [ -n "${JFR:-}" ] && [ "$n" = "$last" ]; then jcmd $mesh_pid JFR.dump name=fanout filename="$JFR" > /dev/null; jcmd $mesh_pid JFR.stop name=fanout > /dev/null; echo "JFR recording: $JFR" >&2; fi
  sleep 3 # the closed sockets' handlers leave the cluster
done

echo
echo "| server | clients | offered deliveries/s | delivered/s | window's messages received | server CPU s | deliveries per CPU-s | p50 ms | p99 ms | p99.9 ms | max ms |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
