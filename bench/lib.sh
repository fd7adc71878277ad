# Sourced by the benchmark scripts: a work folder, removed on exit with every process started
# (pids); the all-in-one (start_mesh) or the collector alone (start_collector) started and awaited;
# metrics, medians and CPU ticks of processes.
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

# start_mesh GATEWAY_PORT KAFKA_PORT CLUSTER_PORT [JAVA_OPTION...]: the all-in-one ($jar) with a data
# folder and a cluster of its own, on core $server_cpu when set, its other ports free ones; MESH_*
# variables the caller sets win. Sets mesh_pid; returns once the gateway is ready.
start_mesh() {
  local gateway=$1 kafka=$2 cluster_port=$3 pin=()
  shift 3
  [ -n "${server_cpu:-}" ] && pin=(taskset -c "$server_cpu")
  MESH_DATA_DIR=${MESH_DATA_DIR:-$work/data} MESH_WIDGETS_DIR=${MESH_WIDGETS_DIR-} MESH_GATEWAY_PORT=$gateway \
    MESH_REGISTRY_PORT=${MESH_REGISTRY_PORT:-0} MESH_TRACKER_PORT=0 MESH_WIDGET_HOST_PORT=0 MESH_TRACKER_QUERY_PORT=0 \
    MESH_KAFKA_EMBEDDED_PORT=$kafka MESH_CLUSTER_NAME=${MESH_CLUSTER_NAME:-bench-$$} MESH_CLUSTER_PORT=$cluster_port \
    MESH_CLUSTER_MEMBERS=${MESH_CLUSTER_MEMBERS:-127.0.0.1:$cluster_port} \
    "${pin[@]}" java "$@" -jar "$jar" > "$work/mesh.log" 2>&1 &
  mesh_pid=$!
  pids+=($mesh_pid)
  for _ in $(seq 1 3000); do
    curl -fs -o /dev/null "http://127.0.0.1:$gateway/health/ready" && return 0
    kill -0 "$mesh_pid" 2>/dev/null || break
    sleep 0.02
  done
  echo "Mesh did not start; log:" >&2
  tail -20 "$work/mesh.log" >&2
  exit 1
}

# start_collector KAFKA_PORT COLLECTOR_PORT CLUSTER_PORT: the collector alone (bench's CollectorNode)
# on core $server_cpu, with Kafka and the salts' PostgreSQL in a process of their own (Infrastructure)
# on $client_cpu; its JVM takes extra options from COLLECTOR_JAVA_OPTS (profile-collector.sh records
# JFR). Expects cp. Sets collector_pid, returns once it is ready.
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

# wrk_run URL DURATION PID...: one run of wrk -t1 -c$connections (32 unless set) from core $client_cpu (with $ua when set);
# prints "requests/s requests-per-server-CPU-second", the CPU being utime + stime of the PIDs over the
# run. Exits when the server answered anything but 2xx.
wrk_run() {
  local url=$1 duration=$2 out before after requests
  shift 2
  before=$(ticks "$@")
  out=$(taskset -c "$client_cpu" wrk -t1 -c"${connections:-32}" -d"$duration" -H "User-Agent: ${ua:-wrk}" "$url")
  after=$(ticks "$@")
  if echo "$out" | grep -q "Non-2xx"; then echo "$url answered errors:" >&2; echo "$out" >&2; exit 1; fi
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$(echo "$out" | awk '/^Requests\/sec/ {print $2}')" \
    "$(awk -v n="$requests" -v t=$(( after - before )) -v hz="$hz" 'BEGIN {printf "%.0f", (t > 0 ? n / (t / hz) : 0)}')"
}

ticks() { # CPU clock ticks (utime+stime) of processes, all their threads included
  local total=0 pid
  for pid in "$@"; do total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done
  echo $total
}
hz=$(getconf CLK_TCK)
