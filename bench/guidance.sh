#!/usr/bin/env bash
# The guidance benchmark (issue 18): importing Udir's national tests (48,096 rows, every
# level; suppression applied inside the import), importing them again (idempotent: nothing
# written), the assessment of all 357 municipalities over three school years (page and API at
# one connection: the latency is the server's time; cold, then cached), the networks suggested to
# small owners (cold, then the page), and a municipality's indicator page and
# API at 64 connections. Release build, SQLite, loopback.
#   bench/guidance.sh          # DURATION (20s), CONNS (64)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-20s}"; CONNS="${CONNS:-64}"
DB="$(mktemp -d)/guidance.db"; PORT=18091; BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p headway
BIN="${CARGO_TARGET_DIR:-target}/release/headway"
H=("$BIN" --database-url "sqlite://$DB")
"${H[@]}" import no-municipalities data/no/kommuner_2024.csv >/dev/null
start=$(date +%s.%N)
"${H[@]}" import no-school-places data/no/skoler_koordinater.csv | tail -n1
echo "== import of the school places: $(echo "$(date +%s.%N) - $start" | bc) s"
for run in first again; do
  start=$(date +%s.%N)
  "${H[@]}" import no-national-tests data/no/nasjonale_prover.csv | tail -n1
  echo "== import ($run): $(echo "$(date +%s.%N) - $start" | bc) s (process start and migrations included)"
done
printf 'bench coordinator password\n' | "${H[@]}" user add --username coordinator \
  --role coordinator --name "Bench Coordinator" >/dev/null
HEADWAY_LOG=warn HEADWAY_WORKER_INTERVAL_SECS=86400 "${H[@]}" serve --listen "127.0.0.1:$PORT" \
  >/tmp/headway-guidance-serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
JAR=$(mktemp)
TOKEN=$(curl -s -c "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "username=coordinator&password=bench+coordinator+password&_csrf=$TOKEN" "$BASE/login"
SID=$(awk '$6 == "headway.sid" {print $7}' "$JAR")
# Cold: each school year's first assessment is made in the server (later ones are cached
# for 30 s); the time is curl's, on loopback.
for year in 2023-24 2024-25 2025-26; do
  echo "== cold assessment $year: $(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: headway.sid=$SID" "$BASE/guidance/assessment?period=$year") s"
done
curl -sf -H "Cookie: headway.sid=$SID" "$BASE/api/v1/guidance/assessment" | python3 -c \
  'import json,sys; a=json.load(sys.stdin); print("== assessment", a["year"], len(a["municipalities"]), "municipalities,", sum(len(m["points"]) for m in a["municipalities"]), "points")'
for path in "/guidance/assessment" "/api/v1/guidance/assessment"; do
  echo "== GET $path ($DURATION, 1 connection)"
  wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: headway.sid=$SID" "$BASE$path" \
    | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors' || true
done
# Networks of small owners: the first suggestion is searched in the server, later ones are
# kept until the owners change.
for q in "max_schools=2&size=5" "max_schools=3&size=6"; do
  echo "== cold networks of small owners ($q): $(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: headway.sid=$SID" "$BASE/api/v1/guidance/networks?$q") s"
done
curl -sf -H "Cookie: headway.sid=$SID" "$BASE/api/v1/guidance/networks" | python3 -c \
  'import json,sys,statistics as st; a=json.load(sys.stdin); n=a["networks"]; print("== networks:", a["small_owners"], "small owners in", len(n), "networks; longest distance inside a network: median", round(st.median(x["span_km"] for x in n)), "km, max", round(max(x["span_km"] for x in n)), "km")'
echo "== GET /guidance/networks ($DURATION, 1 connection)"
wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: headway.sid=$SID" "$BASE/guidance/networks" \
  | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors' || true
for path in "/indicators?unit=no:kommune:3205" "/api/v1/indicators?unit=no:kommune:3205"; do
  echo "== GET $path ($DURATION, 2 threads, $CONNS connections, anonymous)"
  wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$BASE$path" \
    | grep -E 'Requests/sec|^ +50%|^ +99%|Non-2xx|Socket errors' || true
done
echo "peak RSS of the server: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
