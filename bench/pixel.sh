#!/usr/bin/env bash
# The tracking pixel under load, next to nginx's empty_gif in the same run on this machine, and the
# time from a pixel request to the live message on a page's bridge socket.
#
# Starts the all-in-one (gateway, collector, embedded Kafka broker and PostgreSQL, projections, live
# feed: the hits are published to Kafka) and nginx serving empty_gif, both on loopback, each pinned to
# core 0 (the JVM's children, PostgreSQL, inherit it); wrk runs on core 1. For each target: a warm-up,
# then RUNS runs of DURATION; the table shows the median requests per second and the median p99.
# Everything of Mesh shares its one core: gateway, collector, Kafka producer and broker, the projections
# writing to PostgreSQL and the live feed, all busy while the load runs.
# Then bench/LiveLatency.java: hit-to-bridge latency over HITS hits. Stops everything it started.
#
# Usage: bench/pixel.sh [RUNS] [DURATION] [HITS]   (defaults 5, 5s, 200; about 3 minutes)
#        after: mvn -B -DskipTests package; needs wrk and nginx (apt-get install -y nginx-light wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
duration=${2:-5s}
hits=${3:-200}
warmup=10s
connections=32
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
for tool in wrk nginx taskset curl java; do
  command -v "$tool" > /dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing $tool (apt-get install -y nginx-light wrk)" >&2; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
server_cpu=0
client_cpu=1
[ "$(nproc)" -ge 2 ] || { server_cpu=0; client_cpu=0; echo "one core only: wrk shares it with the servers" >&2; }

gateway=18380
collector=18382
nginx_port=18389
ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
query="s=bench.example&p=/pricing"
work=$(mktemp -d)
mesh_pid=
nginx_pid=
stop() {
  local status=$?
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null && { wait "$nginx_pid" 2>/dev/null || true; }
  [ -n "$mesh_pid" ] && kill -TERM "$mesh_pid" 2>/dev/null && { wait "$mesh_pid" 2>/dev/null || true; }
  rm -rf "$work"
  exit $status
}
trap stop EXIT

MESH_DATA_DIR="$work/data" MESH_WIDGETS_DIR= MESH_GATEWAY_PORT=$gateway MESH_TRACKER_PORT=$collector \
  MESH_REGISTRY_PORT=0 MESH_WIDGET_HOST_PORT=0 MESH_TRACKER_QUERY_PORT=0 MESH_KAFKA_EMBEDDED_PORT=18392 \
  MESH_CLUSTER_NAME=bench-pixel-$$ MESH_CLUSTER_PORT=25901 \
  taskset -c $server_cpu java -jar "$jar" > "$work/mesh.log" 2>&1 &
mesh_pid=$!

mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /m/s.gif { empty_gif; add_header Cache-Control "no-store, max-age=0"; }
  }
}
EOF
taskset -c $server_cpu "$nginx_bin" -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" &
nginx_pid=$!

for _ in $(seq 1 1500); do curl -fs -o /dev/null "http://127.0.0.1:$gateway/health/ready" && break; sleep 0.02; done
curl -fs -o /dev/null "http://127.0.0.1:$gateway/health/ready" || { echo "Mesh did not start; log:" >&2; tail -20 "$work/mesh.log" >&2; exit 1; }
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/m/s.gif" && break; sleep 0.05; done
# the gateway routes the collector once discovery told it where it is
for _ in $(seq 1 500); do [ "$(curl -s -o /dev/null -w '%{http_code}' -A "$ua" "http://127.0.0.1:$gateway/m/s.gif?$query")" = 200 ] && break; sleep 0.02; done

metric() { # sum of a meter's samples on the tracker's /metrics
  curl -s "http://127.0.0.1:$collector/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d", s}'
}
ms() { # wrk's latency ("812.00us", "3.21ms", "1.02s") in ms
  awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f", v}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A rps p99
measure() { # name url
  local name=$1 url=$2 out r=() p=()
  taskset -c $client_cpu wrk -t1 -c$connections -d"$warmup" -H "User-Agent: $ua" "$url" > /dev/null # JIT, connections
  for _ in $(seq 1 "$runs"); do
    out=$(taskset -c $client_cpu wrk -t1 -c$connections -d"$duration" --latency -H "User-Agent: $ua" "$url")
    if echo "$out" | grep -q "Non-2xx"; then echo "$name answered errors:" >&2; echo "$out" >&2; exit 1; fi
    r+=("$(echo "$out" | awk '/^Requests\/sec/ {print $2}')")
    p+=("$(echo "$out" | awk '$1 == "99%" {print $2}' | ms)")
  done
  rps[$name]=$(printf '%s\n' "${r[@]}" | median)
  p99[$name]=$(printf '%s\n' "${p[@]}" | median)
  echo "  $name: req/s ${r[*]}; p99 ms ${p[*]}" >&2
}

echo "machine: $(nproc) cores ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}')), $(free -g | awk '/Mem/ {print $2}') GiB;" \
  "$(java -version 2>&1 | head -1); $("$nginx_bin" -v 2>&1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure below)"
echo "servers on core $server_cpu, wrk on core $client_cpu: -t1 -c$connections, $runs runs of $duration after a $warmup warm-up; date $(date -u +%FT%TZ)"

# hit-to-widget first, on a quiet system (the load below leaves Kafka and the projections busy a while)
echo "hit-to-bridge latency (pixel request through the gateway -> live message on a bridge socket):"
taskset -c $client_cpu java bench/LiveLatency.java "http://127.0.0.1:$gateway" "$hits" /m/s.gif

published_before=$(metric mesh_tracker_hits_published_total)
echo "throughput runs:" >&2
measure "nginx empty_gif" "http://127.0.0.1:$nginx_port/m/s.gif?$query"
measure "Mesh collector (its own port)" "http://127.0.0.1:$collector/m/s.gif?$query"
measure "Mesh pixel through the gateway" "http://127.0.0.1:$gateway/m/s.gif?$query"

# every accepted hit ends up in Kafka, or is counted as dropped when the buffer was full
for _ in $(seq 1 300); do [ "$(metric mesh_tracker_buffered_hits)" = 0 ] && break; sleep 0.1; done
accepted=$(curl -s "http://127.0.0.1:$collector/metrics" | awk '/^mesh_tracker_hits_received_total/ && /outcome="accepted"/ {s += $2} END {printf "%d", s}')
published=$(( $(metric mesh_tracker_hits_published_total) - published_before ))
dropped=$(metric mesh_tracker_hits_dropped_total)

echo
printf '| %-32s | %12s | %10s |\n' "target (one core each)" "requests/s" "p99 ms"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..34})" "$(printf -- '-%.0s' {1..14})" "$(printf -- '-%.0s' {1..12})"
for name in "nginx empty_gif" "Mesh collector (its own port)" "Mesh pixel through the gateway"; do
  printf '| %-32s | %12.0f | %10s |\n' "$name" "${rps[$name]}" "${p99[$name]}"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Kafka: $published hits published during the runs ($accepted accepted in all), $dropped dropped (buffer full)"
