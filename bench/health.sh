#!/usr/bin/env bash
# Health endpoint throughput: the hub's /api/health, /api/health/ready and /api/health/live against a trivial
# FastAPI health (bench/health_fastapi.py, one uvicorn worker) on the same machine, with wrk at 64 connections.
# Usage: bench/health.sh [seconds per run] [runs]   (build first: ./mvnw -B -q package -DskipTests)
# HEALTH_BENCH_JAR=path measures another build of the hub (e.g. an older one); FASTAPI_WORKERS=n runs uvicorn
# with n worker processes (default 1).
# Needs wrk and Debian's python3-fastapi + python3-uvicorn (python3-uvloop and python3-httptools make uvicorn
# faster and are used when installed). Both servers start on this machine's loopback only and are stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
runs=${2:-3}
conns=64
hub_port=${HUB_BENCH_PORT:-8799}
api_port=${FASTAPI_BENCH_PORT:-8798}
jar=${HEALTH_BENCH_JAR:-target/contimg-hub.jar}
workers=${FASTAPI_WORKERS:-1}
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B -q package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
/usr/bin/python3 -c 'import fastapi, uvicorn' 2>/dev/null \
  || { echo "needs python3-fastapi and python3-uvicorn (apt-get install ...)" >&2; exit 1; }

dir=$(mktemp -d)
cleanup() {
  [ -n "${hub_pid:-}" ] && kill -TERM "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null || true
  [ -n "${api_pid:-}" ] && kill -TERM "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

HUB_DATA_DIR="$dir" HUB_PORT=$hub_port HUB_HOST=127.0.0.1 HUB_STREAMING_AUTOSTART=false \
  java -jar "$jar" >"$dir/hub.log" 2>&1 &
hub_pid=$!
/usr/bin/python3 -m uvicorn --app-dir bench health_fastapi:app --host 127.0.0.1 --port "$api_port" \
  --workers "$workers" --log-level warning --no-access-log >"$dir/fastapi.log" 2>&1 &
api_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$hub_port/api/health/ready"; do
  kill -0 "$hub_pid" 2>/dev/null || { cat "$dir/hub.log" >&2; exit 1; }
  sleep 0.2
done
until curl -sf -o /dev/null "http://127.0.0.1:$api_port/api/health"; do
  kill -0 "$api_pid" 2>/dev/null || { cat "$dir/fastapi.log" >&2; exit 1; }
  sleep 0.2
done

# requests/s and p99 latency of one wrk run
measure() {
  local out
  out=$(wrk -t2 -c$conns -d"${secs}s" --latency "$1")
  printf '%s req/s, p99 %s, non-2xx %s\n' "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Non-2xx/{n=$NF} END{print n+0}' <<<"$out")"
}

# warm-up: the JVM compiles the hot paths first
wrk -t2 -c$conns -d"${secs}s" "http://127.0.0.1:$hub_port/api/health" >/dev/null
wrk -t2 -c$conns -d"${secs}s" "http://127.0.0.1:$hub_port/api/health/ready" >/dev/null
wrk -t2 -c$conns -d"${secs}s" "http://127.0.0.1:$hub_port/api/health/live" >/dev/null
echo "wrk -t2 -c$conns -d${secs}s, $(nproc) cores, hub $jar, uvicorn workers $workers, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
  echo "run $i"
  echo "  hub /api/health        $(measure "http://127.0.0.1:$hub_port/api/health")"
  echo "  hub /api/health/ready  $(measure "http://127.0.0.1:$hub_port/api/health/ready")"
  echo "  hub /api/health/live   $(measure "http://127.0.0.1:$hub_port/api/health/live")"
  echo "  FastAPI /api/health    $(measure "http://127.0.0.1:$api_port/api/health")"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
