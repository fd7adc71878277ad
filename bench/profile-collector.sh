#!/usr/bin/env bash
# Where the collector's CPU goes under pixel load (issue 9: profile where a target is missed).
#
# The collector alone on core 0 (as in bench/pixel.sh), wrk on core 1; after a 20 s warm-up, 10 s of load
# measured (requests/s and per server CPU-second, to compare changes by), then a JFR
# recording with JFR's default settings (a method sample every 20 ms; "profile" slowed the collector fourfold) over DURATION of load, then
# bench's HotMethods prints the hottest methods of the event loop and of all threads. The recording
# stays in bench/target/collector.jfr for JDK Mission Control.
#
# Usage: bench/profile-collector.sh [DURATION]   (default 30s; about a minute)
#        after: mvn -B -DskipTests package; needs wrk (apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-30s}
[ -f bench/target/classpath.txt ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
server_cpu=0
client_cpu=1
[ "$(nproc)" -ge 2 ] || client_cpu=0
collector=18382
ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
url="http://127.0.0.1:$collector/m/s.gif?s=bench.example&p=/pricing"
recording=$PWD/bench/target/collector.jfr
# shellcheck source=bench/lib.sh
. bench/lib.sh
COLLECTOR_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" start_collector 18392 $collector 25903

wrk_run "$url" 20s "$collector_pid" > /dev/null # JIT, connections
# unrecorded first, so that changes can be compared by their throughput as well as their profile
read -r rate per_cpu <<< "$(wrk_run "$url" 10s "$collector_pid")"
echo "without recording: $rate requests/s, $per_cpu per server CPU-second"
jcmd "$collector_pid" JFR.start name=profile settings=default > /dev/null
taskset -c $client_cpu wrk -t1 -c32 -d"$duration" -H "User-Agent: $ua" "$url" | awk '/^Requests\/sec|Non-2xx/ {print "while recording: " $0}'
jcmd "$collector_pid" JFR.dump name=profile filename="$recording" > /dev/null
jcmd "$collector_pid" JFR.stop name=profile > /dev/null

echo "== event loops"
java -cp "$cp" dev.mesh.bench.HotMethods --file "$recording" --threads vert.x-eventloop --top 40
echo
echo "== all threads"
java -cp "$cp" dev.mesh.bench.HotMethods --file "$recording" --top 25 | sed -n '/^[0-9]* samples of/,$p'
echo
echo "recording: $recording"
