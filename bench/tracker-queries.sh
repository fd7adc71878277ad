#!/usr/bin/env bash
# Latency of the analytics widget's queries (summary, series, top pages, referrers) through the tracker's
# query API, answered by Apache Pinot and by the PostgreSQL projections, over the same generated hits.
#
# Starts an embedded Kafka broker and PostgreSQL, a real Pinot 0.11 (child JVMs, as the pinot profile's
# test does), a tracker with the projection and two query APIs (one per backend); writes HITS hits
# straight to the topic (TrackerQueryBench: distributions in its comment and in docs/benchmarks.md), waits
# until both backends have all of them, then runs each query RUNS/10 times to warm up and RUNS times measured,
# one after the other, backend by backend, and prints p50/p99/max (HdrHistogram). It also checks that
# both backends gave the same answer. Everything runs on this machine's cores together.
#
# Usage: bench/tracker-queries.sh [HITS] [RUNS]   (defaults 1000000, 100; about 20 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
hits=${1:-1000000}
runs=${2:-100}
# compiles the tracker with its tests, resolves Pinot's classpath (profile pinot) and the test classpath
mvn -B -q -Ppinot -pl tracker -am -DskipTests -Dexec.skip=true verify \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
cd tracker
exec java -Xmx2g -Dmesh.pinot.classpath=target/pinot.classpath \
  -Djava.util.logging.config.file=../test-support/src/main/resources/test-logging.properties -Dhazelcast.phone.home.enabled=false \
  -cp "target/test-classes:target/classes:$(cat target/test.classpath)" dev.mesh.tracker.TrackerQueryBench "$hits" "$runs"
