#!/usr/bin/env bash
# The events benchmark (issue 16): an event with 5,000 registrations — the organiser's
# participant page and its CSV export; a personal calendar feed of 200 events; and
# registrations written at 64 connections (each registers and cancels through the API, so
# places change hands under the event's lock), with the confirmed count sampled throughout:
# overbookings are the samples above the 50 places (goal 0). Release build, SQLite, loopback.
#   bench/events.sh            # DURATION (20s), CONNS (64), REGISTRATIONS (5000), FEED (200)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-20s}"; CONNS="${CONNS:-64}"
REGISTRATIONS="${REGISTRATIONS:-5000}"; FEED="${FEED:-200}"
DB="$(mktemp -d)/events.db"; PORT=18090; BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p headway
cargo build --release -q -p headway-web --example register_load
BIN="${CARGO_TARGET_DIR:-target}/release/headway"
LOAD="${CARGO_TARGET_DIR:-target}/release/examples/register_load"
OUT=$("$BIN" --database-url "sqlite://$DB" generate events --registrations "$REGISTRATIONS" \
  --feed-events "$FEED" --writers "$CONNS")
eval "$(echo "$OUT" | sed 's/^/export /')"
printf 'bench organiser password\n' | "$BIN" --database-url "sqlite://$DB" user add \
  --username organiser --role coordinator --name "Bench Organiser" >/dev/null
HEADWAY_LOG=warn HEADWAY_WORKER_INTERVAL_SECS=86400 "$BIN" --database-url "sqlite://$DB" serve \
  --listen "127.0.0.1:$PORT" >/tmp/headway-events-serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
JAR=$(mktemp)
TOKEN=$(curl -s -c "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "username=organiser&password=bench+organiser+password&_csrf=$TOKEN" "$BASE/login"
SID=$(awk '$6 == "headway.sid" {print $7}' "$JAR")
echo "== fixture: event $list_event with $REGISTRATIONS registrations; feed of $FEED events"
curl -sf -H "Cookie: headway.sid=$SID" "$BASE/events/$list_event/participants.csv" | wc -l
for path in "/events/$list_event/participants" "/events/$list_event/participants.csv" "$feed"; do
  echo "== GET $path ($DURATION, 2 threads, 8 connections)"
  wrk -t2 -c8 -d"$DURATION" --latency -H "Cookie: headway.sid=$SID" "$BASE$path" \
    | grep -E 'Requests/sec|Transfer/sec|^ +50%|^ +99%|Non-2xx|Socket errors' || true
done
echo "== registrations written at $CONNS connections for $DURATION (event $write_event, 50 places)"
SAMPLES=$(mktemp)
python3 - "$DB" "$write_event" "$SAMPLES" <<'PY' &
import sqlite3, sys, time
db, event, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
seen = []
end = time.time() + 600
while time.time() < end:
    n = c.execute("select count(*) from registrations where event_id = ? and status = 'confirmed'",
                  (event,)).fetchone()[0]
    seen.append(n)
    open(out, "w").write(f"{len(seen)} {max(seen)} {sum(1 for s in seen if s > 50)}\n")
    time.sleep(0.02)
PY
SAMPLER=$!
"$LOAD" "$BASE" "$write_event" "$writers" "bench writer password" "${DURATION%s}"
sleep 0.2; kill $SAMPLER 2>/dev/null || true
read -r N MAX OVER < "$SAMPLES"
echo "confirmed count sampled $N times: at most $MAX of 50 places; overbookings $OVER"
echo "peak RSS of the server: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
