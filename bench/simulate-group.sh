#!/usr/bin/env bash
# Simulation time of one full-size DSA-110 group (96 antennas, 16 subbands x 48 channels, 24 integrations):
# wall time and peak resident memory of `contimg-hub.jar simulate`, which also prints its own timing.
# Usage: bench/simulate-group.sh [runs] [extra simulate options...]
#        (build first: ./mvnw -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
shift || true
jar=target/contimg-hub.jar
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 1; }
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  /usr/bin/time -v java -jar "$jar" simulate --out "$dir/out" --groups 1 "$@" >"$dir/sim.log" 2>"$dir/time.log" \
    || { cat "$dir/sim.log" "$dir/time.log" >&2; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$dir/time.log")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$dir/time.log")
  size=$(du -sm "$dir/out" | cut -f1)
  printf 'run %d: wall %s, peak RSS %d MB, %d MB written; %s\n' "$i" "$wall" $((rss / 1024)) "$size" \
    "$(head -2 "$dir/sim.log" | tr '\n' ' ')"
  printf '  load average at end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$dir"
done
