#!/usr/bin/env bash
# Read-path throughput: GET /api/sources?limit=20 with wrk (Debian package `wrk`) against a hub whose catalog
# holds 5 000 sources. Usage: bench/read-path.sh [seconds] [connections]   (build first:
# ./mvnw -B -q package -DskipTests). Starts the hub the way the README does, on a fresh data directory, warms
# it up for the same duration, then measures three rounds and prints wrk's summary of each.
# Loopback is exempted from the rate limit for the run (a benchmark is not a client to throttle); everything
# else (access control with public reads, rate-limit bookkeeping, edge handlers) runs as in production.
# READ_PATH_JAR=path measures another build (e.g. main's, for a before/after comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-16}
port=${HUB_BENCH_PORT:-8798}
jar=${READ_PATH_JAR:-target/contimg-hub.jar}
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
dir=$(mktemp -d)
catalog="$dir/catalog.csv"
# a deterministic grid of sources around the DSA-110 declination strip (no random numbers)
awk 'BEGIN { print "id,ra,dec,flux_mjy,snr,resolved,confused";
  for (i = 0; i < 5000; i++) printf "%d,%.5f,%.5f,%.2f,%.1f,false,false\n", i + 1, (i * 0.072) % 360,
      50 + (i % 100) * 0.09, 10 + (i % 250), 20 + (i % 50) }' > "$catalog"
start_hub() {
  HUB_DATA_DIR="$dir" HUB_PORT=$port HUB_CATALOG_FILE="$catalog" HUB_RATELIMIT_EXEMPT_LOOPBACK=true \
    HUB_STREAMING_AUTOSTART=false java @config/jvm.options -jar "$jar" >>"$dir/hub.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://localhost:$port/api/health"; do
    kill -0 $pid 2>/dev/null || { echo "hub died: see $dir/hub.log" >&2; cat "$dir/hub.log" >&2; exit 1; }
    sleep 0.1
  done
}
pid=
trap '[ -z "$pid" ] || { kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; }; rm -rf "$dir"' EXIT
# first start: schema and the catalog's sources; then, with the hub stopped, every source gets a light-curve
# summary (what /api/sources lists) through H2's own shell, which the hub's jar carries
start_hub
kill -TERM $pid; wait $pid 2>/dev/null || true; pid=
java -cp "$jar" org.h2.tools.Shell -url "jdbc:h2:file:$dir/db/contimg" -user sa -password '' -sql \
  "INSERT INTO variability_stats (source_id, n_epochs, mean_mjy, std_mjy, chi2_nu, sigma_deviation, eta, v,
     last_mjd) SELECT source_id, 12, catalog_flux_mjy, catalog_flux_mjy * 0.05, 1.1, 0.8, 1.2, 0.05,
     61000 + ra_deg / 360 FROM sources" >/dev/null
start_hub
url="http://localhost:$port/api/sources?limit=20"
n=$(curl -sf "$url" | grep -o '"source_id"' | wc -l)
echo "jar $jar; $n sources per response; wrk -t2 -c$conns -d${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" "$url" >/dev/null   # warm-up (JIT, caches)
for round in 1 2 3; do
  printf 'round %d: ' "$round"
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" | awk '/Requests\/sec/{rps=$2} /50%/{p50=$2} /99%/{p99=$2}
    /Non-2xx/{bad=$NF} END {printf "%s req/s, p50 %s, p99 %s%s (load %s)\n", rps, p50, p99,
    bad ? ", NON-2xx " bad : "", "'"$(cut -d' ' -f1 /proc/loadavg)"'"}'
done
