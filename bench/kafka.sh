#!/usr/bin/env bash
# Collector to Kafka (issue 9, item 2): hits acknowledged by Kafka per second while the pixel is under
# full load, against Kafka's own ProducerPerformance on the same broker with the collector's producer
# settings (acks=all, idempotence, lz4, linger.ms=10, 64 KiB batches) and records of a hit's size.
#
# The broker (and the PostgreSQL of the salts: bench's Infrastructure) on core 1; the producer under
# test on core 0: bench's CollectorNode loaded by wrk (on core 1 too), ProducerPerformance, or Mesh's
# hit publisher fed in its own JVM (bench's PublisherNode: the publishing without the HTTP in front).
# Medians of RUNS runs of DURATION.
#
# Usage: bench/kafka.sh [RUNS] [DURATION]   (defaults 3, 20s; after: mvn -B -DskipTests package)
#        DURATION of 15 s or more: the producers report every 5 s and their first window is left out
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
duration=${2:-20}
duration=${duration%s}
[ -f bench/target/classpath.txt ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
server_cpu=0
client_cpu=1
[ "$(nproc)" -ge 2 ] || { client_cpu=0; echo "one core only" >&2; }
collector=18482
kafka_port=18492
ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_collector $kafka_port $collector 25921

published() { metric $collector mesh_tracker_hits_published_total; }
url="http://127.0.0.1:$collector/m/s.gif?s=bench.example&p=/pricing&r=https%3A%2F%2Fsearch.example%2F&sc=1920x1080"

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); load average before: $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"
taskset -c $client_cpu wrk -t1 -c32 -d10s -H "User-Agent: $ua" "$url" > /dev/null # warm-up, creates the topic
collector_rates=()
for _ in $(seq 1 "$runs"); do
  before=$(published)
  start=$(date +%s%N)
  taskset -c $client_cpu wrk -t1 -c32 -d"${duration}s" -H "User-Agent: $ua" "$url" > /dev/null
  after=$(published)
  collector_rates+=("$(awk -v n=$(( after - before )) -v ns=$(( $(date +%s%N) - start )) 'BEGIN {printf "%.0f", n / (ns / 1e9)}')")
done
echo "  collector: hits acknowledged per second ${collector_rates[*]}" >&2
# the size of a hit as the collector writes it, for the reference's records
record_size=$(java -cp "$cp" dev.mesh.bench.HitSize "127.0.0.1:$kafka_port" mesh.tracker.hits)

# producer_runs NAME COMMAND...: RUNS runs of DURATION of a producer on core $server_cpu that prints
# ProducerPerformance's "records/sec" line every 5 s: the windows after the first are the steady state,
# and the producer's CPU time is taken over DURATION from the first. Prints "records/s records-per-CPU-second" (medians).
producer_runs() {
  local name=$1 rates=() per_cpu=() pid t0 t1 rate
  shift
  for _ in $(seq 1 "$runs"); do
    taskset -c $server_cpu "$@" > "$work/producer.out" 2>&1 &
    pid=$!
    # from its first window on: the JVM's start and the producer's first connection left out
    for _ in $(seq 1 600); do grep -q "records/sec" "$work/producer.out" && break; sleep 0.1; done
    t0=$(ticks $pid)
    sleep "$duration"
    t1=$(ticks $pid)
    kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true
    rate=$(awk '/records\/sec/ {n++; if (n > 1) {gsub(/[(]/, ""); for (i = 1; i < NF; i++) if ($(i + 1) == "records/sec") {r += $i; k++}}} END {printf "%.0f", k ? r / k : 0}' "$work/producer.out")
    rates+=("$rate")
    per_cpu+=("$(awk -v r="$rate" -v s="$duration" -v t=$(( t1 - t0 )) -v hz="$hz" 'BEGIN {printf "%.0f", (t > 0 ? r * s / (t / hz) : 0)}')")
  done
  echo "  $name: records acknowledged per second ${rates[*]}; per CPU-second ${per_cpu[*]}" >&2
  echo "$(printf '%s\n' "${rates[@]}" | median) $(printf '%s\n' "${per_cpu[@]}" | median)"
}

# into the hits topic the collector made (3 partitions): the broker auto-creates no topic
read -r reference reference_cpu <<< "$(producer_runs ProducerPerformance java -cp "$cp" org.apache.kafka.tools.ProducerPerformance \
  --topic mesh.tracker.hits --num-records 100000000 --record-size "$record_size" --throughput -1 \
  --producer-props bootstrap.servers=127.0.0.1:$kafka_port acks=all enable.idempotence=true compression.type=lz4 \
    linger.ms=10 batch.size=65536 max.request.size=1048576)"

# Mesh's publisher alone, hits made in its JVM as ProducerPerformance makes its records in its own
read -r publisher publisher_cpu <<< "$(MESH_KAFKA_BOOTSTRAP=127.0.0.1:$kafka_port MESH_CLUSTER_NAME=bench-publisher-$$ \
  MESH_CLUSTER_PORT=25922 MESH_CLUSTER_MEMBERS=127.0.0.1:25922 producer_runs "Mesh publisher" java -cp "$cp" dev.mesh.bench.PublisherNode)"
# its count is cumulative: the last line is the run's total
grep "records/sec" "$work/producer.out" | tail -1 | grep -q " 0 dropped" || { echo "the publisher dropped hits:" >&2; tail -3 "$work/producer.out" >&2; }

collector_rate=$(printf '%s\n' "${collector_rates[@]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
echo
echo "| producer (core $server_cpu; broker on core $client_cpu) | records acknowledged per second | vs reference | per producer CPU-second | vs reference |"
echo "|---|---|---|---|---|"
printf '| Kafka ProducerPerformance, %s-byte records | %s | 1.00x | %s | 1.00x |\n' "$record_size" "$reference" "$reference_cpu"
printf '| Mesh hit publisher, hits made in its JVM (PublisherNode) | %s | %sx | %s | %sx |\n' "$publisher" "$(ratio "$publisher" "$reference")" "$publisher_cpu" "$(ratio "$publisher_cpu" "$reference_cpu")"
printf '| Mesh collector under wrk (pixel hits) | %s | %sx | | |\n' "$collector_rate" "$(ratio "$collector_rate" "$reference")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
