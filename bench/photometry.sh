#!/usr/bin/env bash
# Forced-photometry throughput and cutout latency on a synthetic 4096^2 image with 1000 sources
# (org.dsa110.contimg.products.PhotometryBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/photometry.sh [size=4096] [sources=1000] [passes=5] [cutouts=300]
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
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat "$cp")" \
  org.dsa110.contimg.products.PhotometryBenchmark "$@"
