#!/usr/bin/env bash
# Cold start: time from `java -jar` to the first 200 from /api/health, and the resident memory then.
# Usage: bench/coldstart.sh [runs]   (build first: ./mvnw -B -q package -DskipTests)
# Starts the way the README does (java @config/jvm.options: AppCDS archive, C2 thresholds);
# COLDSTART_ARGFILE=none starts with JDK defaults, COLDSTART_ARGFILE=FILE with another argument file.
# Extra JVM options: COLDSTART_JAVA_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${HUB_BENCH_PORT:-8799}
jar=target/contimg-hub.jar
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s%N)
  opts=(${COLDSTART_JAVA_OPTS:-})
  argfile=${COLDSTART_ARGFILE:-config/jvm.options}
  [ "$argfile" = none ] || opts+=("@$argfile")
  HUB_DATA_DIR="$dir" HUB_PORT=$port java "${opts[@]}" -jar "$jar" >"$dir/hub.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://localhost:$port/api/health"; do
    kill -0 $pid 2>/dev/null || { echo "hub died: see $dir/hub.log" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  cpu=$(awk '{printf "%.1f", ($14+$15)/100}' /proc/$pid/stat)
  printf 'run %d: first /api/health 200 after %.2f s, RSS %d MB, CPU %s s (load %s)\n' "$i" \
    "$(echo "($end-$start)/1000000000" | bc -l)" $((rss/1024)) "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
done
