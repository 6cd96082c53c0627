#!/usr/bin/env bash
# Cost of subtracting sources outside the image before imaging (issue 15: VLA calibrators and the reference
# catalogue's sources), per source and visibility sample, extrapolated to a full-size group
# (org.dsa110.contimg.science.imaging.OutlierSubtractionBenchmark, a test-scope main class; docs/performance.md).
# Usage: bench/outliers.sh [antennas=48] [integrations=6] [channels=96] [sources=100] [passes=3]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o test-compile
cp=target/bench.classpath
if [ ! -s "$cp" ] || [ pom.xml -nt "$cp" ]; then
  ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
exec java -Xmx4g -cp "target/test-classes:target/classes:$(cat "$cp")" \
  org.dsa110.contimg.science.imaging.OutlierSubtractionBenchmark "$@"
