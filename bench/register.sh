#!/usr/bin/env bash
# Load benchmark of the public register search (issue: register benchmark).
# Builds (once) a database of LEADERS leaders with K activities each, serves it with
# `headway serve`, and drives the public search and a bare axum handler with wrk on
# loopback at 64 connections, in the same run. Prints requests/s, p50 and p99 for both
# and the server's peak RSS.
#   LEADERS=1000000 K=10 DURATION=30s bench/register.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LEADERS="${LEADERS:-1000000}"; K="${K:-12}"; DURATION="${DURATION:-30s}"; CONNS="${CONNS:-64}"
DB="${DB:-/tmp/headway-bench-${LEADERS}.db}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p headway
cargo build --release -q -p headway-web --example bare
BIN="${CARGO_TARGET_DIR:-target}/release/headway"
if [ ! -f "$DB" ]; then
  echo "== generating $LEADERS leaders × $K activities into $DB"
  /usr/bin/time -f "generation: %e s, peak RSS %M KiB" \
    "$BIN" --database-url "sqlite://$DB" generate register --leaders "$LEADERS" --activities-per-leader "$K"
fi
ls -la "$DB"
HEADWAY_LOG=warn HEADWAY_WORKER_INTERVAL_SECS=86400 "$BIN" --database-url "sqlite://$DB" serve --listen 127.0.0.1:18080 >/tmp/headway-bench-serve.log 2>&1 &
SERVER=$!
"${CARGO_TARGET_DIR:-target}/release/examples/bare" 127.0.0.1:18081 &
BARE=$!
trap 'kill $SERVER $BARE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18080/healthz >/dev/null && break; sleep 0.2; done
# The in-memory public index loads in the background; the first search waits for it.
/usr/bin/time -f "first search (index load): %e s" curl -sf -o /dev/null "http://127.0.0.1:18080/api/v1/register/search?q=jansen"
curl -sf "http://127.0.0.1:18080/api/v1/register/search?q=jansen" | head -c 300; echo
# Warm-up, then the measured runs.
wrk -t2 -c"$CONNS" -d5s -s bench/search.lua http://127.0.0.1:18080 >/dev/null
echo "== public search (headway serve, SQLite)"
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s bench/search.lua http://127.0.0.1:18080 | tee /tmp/wrk-search.txt
echo "== bare axum handler"
# The same Lua request generator for both, so the client costs the same on the shared cores.
wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s bench/search.lua http://127.0.0.1:18081 | tee /tmp/wrk-bare.txt
RSS=$(grep VmHWM /proc/$SERVER/status | awk '{print $2}')
pick() { awk -v k="$2" '$1==k {print $2}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
S=$(rps /tmp/wrk-search.txt); B=$(rps /tmp/wrk-bare.txt)
echo
echo "summary: search ${S} req/s p50 $(pick /tmp/wrk-search.txt 50%) p99 $(pick /tmp/wrk-search.txt 99%); bare ${B} req/s p50 $(pick /tmp/wrk-bare.txt 50%) p99 $(pick /tmp/wrk-bare.txt 99%); search/bare $(awk -v s="$S" -v b="$B" 'BEGIN {printf "%.1f %%", 100*s/b}'); server peak RSS $((RSS / 1024)) MiB"
