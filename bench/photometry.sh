#!/usr/bin/env bash
# Forced-photometry throughput and cutout latency on a synthetic 4096^2 image with 1000 sources
# (org.dsa110.contimg.products.PhotometryBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/photometry.sh [size=4096] [sources=1000] [passes=5] [cutouts=300]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_classpath
exec java -Xmx2g -cp "$BENCH_CP" \
  org.dsa110.contimg.products.PhotometryBenchmark "$@"
