#!/usr/bin/env bash
# TixMo on one machine: nginx balancing several `tixmo serve` processes, `tixmo worker` processes, one
# PostgreSQL (+ Redis for shared rate limits). See docs/deployment.md.
#
#   deploy/run.sh [--api N] [--workers N] [--port PORT] [--dir DIR]
#
# Environment: the usual TIXMO_* settings. TIXMO_DATABASE_URL unset: the embedded PostgreSQL (in
# TIXMO_DATA_DIR), shared by every process. TIXMO_REDIS_URL: set it for rate limits shared by the API
# processes. TIXMO_BIN: the tixmo command (default: tixmo on PATH, else .venv/bin/tixmo). TIXMO_NGINX: the
# nginx binary (default /usr/sbin/nginx). API process i listens on 127.0.0.1:(PORT + i), nginx on PORT.
#
# DIR (default ./.tixmo-deploy) gets nginx/ (rendered config, logs), metrics/ (PROMETHEUS_MULTIPROC_DIR,
# shared by all processes so /metrics counts every one), logs/ (one per process) and pids/ (api-1.pid, …,
# worker-1.pid, nginx.pid). It prints "ready http://HOST:PORT" when nginx answers /api/v1/health, and
# stops everything on SIGTERM or SIGINT. A process that dies is not restarted: in production, run each
# line under systemd (Restart=always) or another supervisor instead of this script.
set -euo pipefail

API=3
WORKERS=2
PORT=8080
DIR=.tixmo-deploy
while [[ $# -gt 0 ]]; do
    case "$1" in
        --api) API="$2"; shift 2 ;;
        --workers) WORKERS="$2"; shift 2 ;;
        --port) PORT="$2"; shift 2 ;;
        --dir) DIR="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

HERE="$(cd "$(dirname "$0")" && pwd)"
NGINX="${TIXMO_NGINX:-/usr/sbin/nginx}"
if [[ -z "${TIXMO_BIN:-}" ]]; then
    if command -v tixmo >/dev/null; then TIXMO_BIN="$(command -v tixmo)"; else TIXMO_BIN="$HERE/../.venv/bin/tixmo"; fi
fi
[[ -x "$NGINX" ]] || { echo "nginx not found at $NGINX (apt-get install nginx-light)" >&2; exit 1; }
[[ -x "$TIXMO_BIN" ]] || { echo "tixmo not found at $TIXMO_BIN (make install)" >&2; exit 1; }

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
rm -rf "$DIR/metrics" "$DIR/pids"
mkdir -p "$DIR/nginx/tmp" "$DIR/metrics" "$DIR/logs" "$DIR/pids"
export PROMETHEUS_MULTIPROC_DIR="$DIR/metrics"
# Every process is a separate `serve`: none seeds demo data or runs a worker of its own.
export TIXMO_SEED_DEMO="${TIXMO_SEED_DEMO:-false}"
export TIXMO_RUN_WORKER=false
export FORWARDED_ALLOW_IPS="${FORWARDED_ALLOW_IPS:-127.0.0.1}"

CHILDREN=()
stop() {
    trap - TERM INT EXIT
    for pid in "${CHILDREN[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${CHILDREN[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit 0
}
trap stop TERM INT EXIT

"$TIXMO_BIN" migrate >"$DIR/logs/migrate.log" 2>&1

UPSTREAMS=""
for i in $(seq 1 "$API"); do
    port=$((PORT + i))
    "$TIXMO_BIN" serve --host 127.0.0.1 --port "$port" >"$DIR/logs/api-$i.log" 2>&1 &
    CHILDREN+=("$!")
    echo "$!" >"$DIR/pids/api-$i.pid"
    UPSTREAMS+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
done
for i in $(seq 1 "$WORKERS"); do
    "$TIXMO_BIN" worker >"$DIR/logs/worker-$i.log" 2>&1 &
    CHILDREN+=("$!")
    echo "$!" >"$DIR/pids/worker-$i.pid"
done

python3 - "$HERE/nginx.conf.template" "$DIR/nginx/nginx.conf" "$DIR/nginx" "127.0.0.1:$PORT" "$UPSTREAMS" \
    "$(id -un)" <<'PY'
import sys
template, target, prefix, listen, upstreams, user = sys.argv[1:]
text = open(template).read()
for key, value in (
    ("@USER@", user),
    ("@PREFIX@", prefix),
    ("@LISTEN@", listen),
    ("@UPSTREAMS@", upstreams.rstrip("\n")),
):
    text = text.replace(key, value)
open(target, "w").write(text)
PY
"$NGINX" -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log" &
CHILDREN+=("$!")
echo "$!" >"$DIR/pids/nginx.pid"

answers() {  # the URL answers 2xx (no proxy from the environment for a local address)
    python3 -c "import sys, urllib.request as u; u.build_opener(u.ProxyHandler({})).open(sys.argv[1], timeout=2)" "$1" \
        2>/dev/null
}
deadline=$((SECONDS + 120))
until answers "http://127.0.0.1:$PORT/api/v1/health"; do
    if (( SECONDS > deadline )); then echo "not ready after 120 s; see $DIR/logs" >&2; exit 1; fi
    for pid in "${CHILDREN[@]}"; do
        kill -0 "$pid" 2>/dev/null || { echo "process $pid ended while starting; see $DIR/logs, $DIR/nginx" >&2; exit 1; }
    done
    sleep 0.2
done
# Every API process answers, not only the first one up.
for i in $(seq 1 "$API"); do
    until answers "http://127.0.0.1:$((PORT + i))/api/v1/health"; do
        if (( SECONDS > deadline )); then echo "api-$i not ready after 120 s; see $DIR/logs" >&2; exit 1; fi
        sleep 0.2
    done
done
echo "ready http://127.0.0.1:$PORT"
wait -n || true   # the first process to end (e.g. killed) does not stop the rest
wait || true
