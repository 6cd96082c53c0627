#!/usr/bin/env bash
# Cost of one source's variability update (VAST metrics, all N(N-1)/2 two-epoch pairs) for light curves of N epochs
# (org.dsa110.contimg.science.variability.VariabilityBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/variability.sh [repetitions=200] [sizes=30,365,1000,3650]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
exec java -Xmx256m -cp "target/test-classes:target/classes" \
  org.dsa110.contimg.science.variability.VariabilityBenchmark "$@"
