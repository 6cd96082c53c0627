#!/usr/bin/env bash
# Groups per minute of N hubs on one embedded PostgreSQL and one shared data directory, demo-sized groups
# (org.dsa110.contimg.cluster.ClusterThroughputBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/cluster.sh [hubs=1] [groups=12] [heap per hub=600m]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_classpath
exec java -Xmx1g \
  -cp "$BENCH_CP" org.dsa110.contimg.cluster.ClusterThroughputBenchmark "$@"
