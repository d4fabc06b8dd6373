#!/usr/bin/env bash
# The feedback benchmark (issue 17): a survey with SETS answer sets over 20 questions — the
# report page (every question's distribution, its bars, mean and median), its CSV and XLSX
# exports and the results API, cold at one connection, then under wrk; and answers submitted
# at CONNS connections on loopback (each respondent opens the form of their personal link and
# sends twenty answers): throughput and p99. Release build, SQLite, loopback.
#   bench/feedback.sh          # DURATION (20s), CONNS (64), SETS (10000), LINKS (30000)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-20s}"; CONNS="${CONNS:-64}"
SETS="${SETS:-10000}"; LINKS="${LINKS:-30000}"
DIR="$(mktemp -d)"; DB="$DIR/feedback.db"; PORT=18092; BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p headway
cargo build --release -q -p headway-web --example answer_load
BIN="${CARGO_TARGET_DIR:-target}/release/headway"
LOAD="${CARGO_TARGET_DIR:-target}/release/examples/answer_load"
H=("$BIN" --database-url "sqlite://$DB")
start=$(date +%s.%N)
OUT=$("${H[@]}" generate feedback --sets "$SETS" --links "$LINKS" --links-file "$DIR/links.txt")
echo "== fixtures: $OUT ($(echo "$(date +%s.%N) - $start" | bc) s)"
eval "$(echo "$OUT" | sed 's/^/export /')"
printf 'bench coordinator password\n' | "${H[@]}" user add --username coordinator \
  --role coordinator --name "Bench Coordinator" >/dev/null
HEADWAY_LOG=warn HEADWAY_WORKER_INTERVAL_SECS=86400 "${H[@]}" serve --listen "127.0.0.1:$PORT" \
  >"$DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
JAR=$(mktemp)
TOKEN=$(curl -s -c "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "username=coordinator&password=bench+coordinator+password&_csrf=$TOKEN" "$BASE/login"
SID=$(awk '$6 == "headway.sid" {print $7}' "$JAR")
for path in "/feedback/surveys/$survey" "/feedback/surveys/$survey/results.csv" \
  "/feedback/surveys/$survey/results.xlsx" "/api/v1/surveys/$survey/results"; do
  echo "== GET $path: $(curl -sf -o "$DIR/out" -w '%{time_total}' -H "Cookie: headway.sid=$SID" "$BASE$path") s, $(wc -c <"$DIR/out") bytes"
done
for path in "/feedback/surveys/$survey" "/feedback/surveys/$survey/results.xlsx"; do
  echo "== GET $path ($DURATION, 1 connection)"
  wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: headway.sid=$SID" "$BASE$path" \
    | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors' || true
done
echo "== answers at $CONNS connections for ${DURATION%s} s"
"$LOAD" "$BASE" "$DIR/links.txt" "${DURATION%s}" "$CONNS"
curl -sf -H "Cookie: headway.sid=$SID" "$BASE/api/v1/surveys/$survey/results" | python3 -c \
  'import json,sys; w=json.load(sys.stdin)["waves"][0]; print("== after the load:", w["answer_sets"], "answer sets of", w["asked"], "asked")'
echo "peak RSS of the server: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
