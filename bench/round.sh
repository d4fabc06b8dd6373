#!/usr/bin/env bash
# The web round at national scale (issue 15): a demo database grown to about 4,300
# registered leaders, then diverse groups of ten over region, school type, environment and
# governance through POST /api/v1/networks/{id}/rounds on `headway serve`, as a coordinator.
# Prints the time the POST takes (it reads and checks the population), the time until the
# background job is done, the groups, the objective and the upper bound, and the server's
# peak RSS.
#   EXTRA=2400 SECONDS_LIMIT=10 bench/round.sh
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRA="${EXTRA:-2400}"; LIMIT="${SECONDS_LIMIT:-10}"
cargo build --release -q -p headway
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/headway"
DIR="$(mktemp -d)"; DB="sqlite://$DIR/round.db"; PORT=18611; BASE="http://127.0.0.1:$PORT"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
# The demo (directory, accounts, 3,000 leaders, the networks), then more leaders.
HEADWAY_LOG=warn "$BIN" --database-url "$DB" demo --listen 127.0.0.1:$PORT >"$DIR/demo.log" 2>&1 &
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.5; done
kill %1; wait %1 2>/dev/null || true
"$BIN" --database-url "$DB" generate register --leaders "$EXTRA" --activities-per-leader 0 --seed 7 >/dev/null
HEADWAY_LOG=warn "$BIN" --database-url "$DB" serve --listen 127.0.0.1:$PORT >"$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
JAR="$DIR/jar"
TOKEN=$(curl -s -c "$JAR" "$BASE/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "username=coordinator&password=headway-demo&_csrf=$TOKEN" "$BASE/login"
TOKEN=$(curl -s -b "$JAR" "$BASE/me" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -n1)
NET=$(curl -s "$BASE/api/v1/networks?kind=conversation_round" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
BODY='{"title":"Bench","population":"leaders","country":"NL","mode":"diverse","size":10,"attributes":[{"attribute":"region","weight":1},{"attribute":"school_type","weight":1},{"attribute":"environment","weight":1},{"attribute":"governance","weight":1}],"seconds":'"$LIMIT"'}'
T0=$(date +%s.%N)
ROUND=$(curl -s -b "$JAR" -H "x-csrf-token: $TOKEN" -H 'content-type: application/json' -d "$BODY" "$BASE/api/v1/networks/$NET/rounds" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
T1=$(date +%s.%N)
while :; do
  R=$(curl -s -b "$JAR" "$BASE/api/v1/rounds/$ROUND")
  S=$(echo "$R" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_status"])')
  [ "$S" = queued ] || [ "$S" = running ] || break
  sleep 0.2
done
T2=$(date +%s.%N)
echo "$R" | python3 -c '
import json,sys
r=json.load(sys.stdin); n=sum(len(g["members"]) for g in r["groups"]); o=r["objective"]; b=r["bound"]
k=len(r["groups"]); job=r["job_status"]
print(f"{n} leaders into {k} groups: objective {o:.3f}, bound {b:.3f}, {100*(b-o)/b:.3f} % below; job {job}")'
awk -v a="$T0" -v b="$T1" -v c="$T2" 'BEGIN {printf "POST (population read and checked): %.2f s; search until done: %.2f s; total %.2f s\n", b-a, c-b, c-a}'
echo "server peak RSS: $(( $(grep VmHWM /proc/$SERVER/status | awk '{print $2}') / 1024 )) MiB"
