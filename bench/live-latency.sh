#!/usr/bin/env bash
# Time from a pixel request through the gateway to the live message on a page's bridge socket
# (bench/LiveLatency.java), against the all-in-one: gateway, collector, Kafka, the live feed, the bridge.
# Usage: bench/live-latency.sh [HITS]   (default 200; after: mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
hits=${1:-200}
jar=all-in-one/target/mesh.jar
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
gateway=18380
# shellcheck source=bench/lib.sh
. bench/lib.sh
start_mesh $gateway 18393 25911
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); date $(date -u +%FT%TZ)"
java bench/LiveLatency.java "http://127.0.0.1:$gateway" "$hits" /m/s.gif
