# Sourced by bench/pixel.sh and bench/kafka.sh: the collector alone (bench's CollectorNode) on
# $server_cpu, with Kafka and the salts' PostgreSQL in a process of their own (Infrastructure) on
# $client_cpu; everything started is stopped on exit. Expects cp, server_cpu, client_cpu; the
# collector's JVM takes extra options from COLLECTOR_JAVA_OPTS (bench/profile-collector.sh records JFR).
work=$(mktemp -d)
pids=()
stop() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit $status
}
trap stop EXIT

# start_collector KAFKA_PORT COLLECTOR_PORT CLUSTER_PORT: sets collector_pid, returns once it is ready
start_collector() {
  local kafka_port=$1 port=$2 cluster_port=$3 database_url
  taskset -c "$client_cpu" java -cp "$cp" dev.mesh.bench.Infrastructure --data "$work/infra" --kafka-port "$kafka_port" \
    > "$work/infra.out" 2> "$work/infra.log" &
  pids+=($!)
  for _ in $(seq 1 600); do grep -q MESH_DATABASE_URL "$work/infra.out" && break; sleep 0.1; done
  database_url=$(awk '/^MESH_DATABASE_URL=/ {print substr($0, index($0, "=") + 1)}' "$work/infra.out")
  [ -n "$database_url" ] || { echo "Kafka and PostgreSQL did not start:" >&2; tail -20 "$work/infra.log" >&2; exit 1; }

  MESH_DATABASE_URL=$database_url MESH_KAFKA_BOOTSTRAP=127.0.0.1:$kafka_port MESH_TRACKER_PORT=$port \
    MESH_CLUSTER_NAME=bench-collector-$$ MESH_CLUSTER_PORT=$cluster_port \
    taskset -c "$server_cpu" java ${COLLECTOR_JAVA_OPTS:-} -cp "$cp" dev.mesh.bench.CollectorNode > "$work/collector.log" 2>&1 &
  collector_pid=$!
  pids+=($collector_pid)
  for _ in $(seq 1 1200); do curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.05; done
  curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" || { echo "the collector did not start:" >&2; tail -20 "$work/collector.log" >&2; exit 1; }
}

# metric PORT NAME: the sum of a meter's samples on the collector's /metrics
metric() {
  curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d", s}'
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ticks() { # CPU clock ticks (utime+stime) of processes, all their threads included
  local total=0 pid
  for pid in "$@"; do total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done
  echo $total
}
hz=$(getconf CLK_TCK)
