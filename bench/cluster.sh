#!/usr/bin/env bash
# Groups per minute of N hubs on one embedded PostgreSQL and one shared data directory, demo-sized groups
# (org.dsa110.contimg.cluster.ClusterThroughputBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/cluster.sh [hubs=1] [groups=12] [heap per hub=600m]
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
exec java -Xmx1g \
  -cp "target/test-classes:target/classes:$(cat "$cp")" org.dsa110.contimg.cluster.ClusterThroughputBenchmark "$@"
