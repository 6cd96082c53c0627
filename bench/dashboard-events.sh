#!/usr/bin/env bash
# Latency of the dashboard's Events page queries (/api/events/stats and /stream classify stored events with a SQL
# CASE over their JSON) on an H2 file store filled with a realistic event mix
# (org.dsa110.contimg.monitoring.LegacyEventsBenchmark, a test-scope main class; see docs/performance.md).
# Usage: bench/dashboard-events.sh [rows=100000] [passes=20]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_classpath
exec java -Xmx1g -cp "$BENCH_CP" \
  org.dsa110.contimg.monitoring.LegacyEventsBenchmark "$@"
