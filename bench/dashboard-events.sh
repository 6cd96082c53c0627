#!/usr/bin/env bash
# Latency of the dashboard's Events page queries (/api/events/stats and /stream classify stored events with a SQL
# CASE over their JSON) on an H2 file store filled with a realistic event mix
# (org.dsa110.contimg.monitoring.LegacyEventsBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/dashboard-events.sh [rows=100000] [passes=20]
# The first run resolves the test classpath with maven-dependency-plugin (needs Maven Central once).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
cp=target/bench.classpath
if [ ! -s "$cp" ] || [ pom.xml -nt "$cp" ]; then
  ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat "$cp")" \
  org.dsa110.contimg.monitoring.LegacyEventsBenchmark "$@"
