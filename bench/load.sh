#!/usr/bin/env bash
# The load benchmark: seeds a large database (once), serves it with `headway serve`
# (release, SQLite), and drives each main read path and a write path with wrk on
# loopback, next to a bare axum handler in the same run. Prints throughput, p50 and p99
# per path, errors, and the server's peak RSS.
#   bench/load.sh                      # every path, 20 s each
#   SOAK_MINUTES=30 bench/load.sh      # then a soak: the mixed load at half its peak rate
# Settings: LEADERS (1000000), K activities per leader (10), DURATION (20s), CONNS (64).
set -euo pipefail
cd "$(dirname "$0")/.."
LEADERS="${LEADERS:-1000000}"; K="${K:-10}"; DURATION="${DURATION:-20s}"; CONNS="${CONNS:-64}"
SOAK_MINUTES="${SOAK_MINUTES:-0}"
DB="${DB:-/tmp/headway-bench-${LEADERS}.db}"
PORT=18080; BARE_PORT=18081; BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p headway
cargo build --release -q -p headway-web --example bare
BIN="${CARGO_TARGET_DIR:-target}/release/headway"
if [ ! -f "$DB" ]; then
  echo "== generating $LEADERS leaders × $K activities into $DB"
  "$BIN" --database-url "sqlite://$DB" generate register --leaders "$LEADERS" --activities-per-leader "$K"
fi
# The benchmark's leader, who writes PD activities (created once).
printf 'bench leader password\n' | "$BIN" --database-url "sqlite://$DB" user add --username bench \
  --role leader --name "Bench Leader" >/dev/null 2>&1 || true
# Public entries exist for registered leaders only: the entry path draws from 5,000 of them.
LEADER_IDS=$(mktemp)
read -r MAX_ORG SCHOOL < <(python3 - "$DB" "$LEADER_IDS" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
ids = c.execute("select id from register_leaders where status in ('registered', 'conditional') "
                "order by random() limit 5000").fetchall()
open(sys.argv[2], "w").write("\n".join(str(i[0]) for i in ids) + "\n")
print(c.execute("select max(id) from organizations").fetchone()[0],
      c.execute("select min(id) from organizations where kind = 'school'").fetchone()[0])
PY
)
export LEADER_IDS MAX_ORG
HEADWAY_LOG=warn HEADWAY_WORKER_INTERVAL_SECS=86400 "$BIN" --database-url "sqlite://$DB" serve \
  --listen "127.0.0.1:$PORT" >/tmp/headway-load-serve.log 2>&1 &
SERVER=$!
"${CARGO_TARGET_DIR:-target}/release/examples/bare" "127.0.0.1:$BARE_PORT" &
BARE=$!
trap 'kill $SERVER $BARE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf -o /dev/null "$BASE/api/v1/register/search?q=jansen" # waits for the in-memory index

# Sign in as the bench leader and enrol (once) to get a session and its CSRF token.
JAR=$(mktemp)
token() { # the CSRF token of a page's first form (|| true: head may close the pipe early)
  curl -s -b "$JAR" -c "$JAR" "$BASE$1" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1 || true
}
T=$(token /login)
curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "username=bench&password=bench+leader+password&_csrf=$T" "$BASE/login"
if [ "$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' "$BASE/register/me")" != 200 ]; then
  T=$(token /register/enrol)
  curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "given_name=Bench&family_name=Leader&schools=$SCHOOL&position=director&qualification=bench&_csrf=$T" "$BASE/register/enrol"
fi
CSRF=$(token /register/me)
COOKIE="headway.sid=$(awk '$6 == "headway.sid" {print $7}' "$JAR")"
export COOKIE CSRF
[ -n "$CSRF" ] || { echo "could not sign in the bench leader"; exit 1; }

OUT=$(mktemp -d)
run() { # name kind url [extra wrk args]
  local name=$1 kind=$2 url=$3; shift 3
  local f; f="$OUT/$(printf '%s' "$name" | tr -c 'a-zA-Z0-9' '_').txt"
  PATH_KIND=$kind wrk -t2 -c"$CONNS" -d3s -s bench/paths.lua "$url" >/dev/null 2>&1
  PATH_KIND=$kind wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s bench/paths.lua "$@" "$url" >"$f"
  local rps p50 p99 bad
  rps=$(awk '/Requests\/sec/ {print $2}' "$f")
  p50=$(awk '$1=="50%" {print $2}' "$f"); p99=$(awk '$1=="99%" {print $2}' "$f")
  bad=$(awk '/Non-2xx/ {print $5}' "$f"); bad=${bad:-0}
  local sock; sock=$(grep -c "Socket errors" "$f" || true)
  printf '| %-28s | %10s | %8s | %8s | %6s |\n' "$name" "$rps" "$p50" "$p99" "$bad$([ "$sock" != 0 ] && echo ' +socket')"
}
echo
echo "== $LEADERS leaders, $CONNS connections, $DURATION per path (wrk on the same 2 cores)"
printf '| %-28s | %10s | %8s | %8s | %6s |\n' path "req/s" p50 p99 errors
printf '|%s|%s|%s|%s|%s|\n' ------------------------------ ------------ ---------- ---------- --------
run "bare axum handler" search "http://127.0.0.1:$BARE_PORT"
run "GET / (home page)" home "$BASE"
run "GET /directory?q= (page)" directory "$BASE"
run "GET /api/v1/organizations" api-directory "$BASE"
run "GET /api/v1/register/search" search "$BASE"
run "GET /register/leaders/{id}" entry "$BASE"
run "GET /organizations/{id} (map)" organization "$BASE"
run "POST activity (write)" write "$BASE"
run "mixed" mix "$BASE"
echo "server peak RSS: $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB"

if [ "$SOAK_MINUTES" != 0 ]; then
  PEAK=$(awk '/Requests\/sec/ {print int($2)}' "$OUT/mixed.txt")
  # wrk has no rate option; a fixed delay per connection gives the rate: CONNS / delay.
  DELAY_MS=$(( 1000 * CONNS * 2 / PEAK )); export DELAY_MS
  echo
  echo "== soak: mixed load for $SOAK_MINUTES min at about half of $PEAK req/s (delay ${DELAY_MS} ms per connection)"
  RSSLOG="$OUT/rss.txt"
  ( while kill -0 $SERVER 2>/dev/null; do echo "$(date +%s) $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)"; sleep 10; done ) >"$RSSLOG" &
  SAMPLER=$!
  PATH_KIND=mix wrk -t2 -c"$CONNS" -d"${SOAK_MINUTES}m" --latency --timeout 10s -s bench/paths.lua "$BASE" >"$OUT/soak.txt"
  kill $SAMPLER 2>/dev/null || true
  cat "$OUT/soak.txt"
  awk 'NR==1 {t0=$1} {r[NR]=$2; t[NR]=$1} $2>max {max=$2}
       END {
         # RSS after the first minute against the last sample: flat memory means no growth.
         for (i=1;i<=NR;i++) if (t[i]-t0 >= 60) {first=r[i]; break}
         printf "soak RSS: after 1 min %d MiB, at the end %d MiB, max %d MiB, %d samples\n", first/1024, r[NR]/1024, max/1024, NR
       }' "$RSSLOG"
  cp "$RSSLOG" /tmp/headway-soak-rss.txt
fi
