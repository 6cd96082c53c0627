#!/usr/bin/env bash
# Cost of subtracting sources outside the image before imaging (issue 15: VLA calibrators and the reference
# catalogue's sources), per source and visibility sample, extrapolated to a full-size group
# (org.dsa110.contimg.science.imaging.OutlierSubtractionBenchmark, a test-scope main class; docs/performance.md).
# Usage: bench/outliers.sh [antennas=48] [integrations=6] [channels=96] [sources=100] [passes=3]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_classpath
exec java -Xmx4g -cp "$BENCH_CP" \
  org.dsa110.contimg.science.imaging.OutlierSubtractionBenchmark "$@"
