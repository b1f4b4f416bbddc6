#!/usr/bin/env bash
# End-to-end supervision figure: `iz ingest` posting bracelet pings in NDJSON batches to
# `iz serve` (SQLite store) over HTTP, 25,000 supervised persons each with a 32-vertex home
# zone, three exclusion zones (two circles, a 12-vertex polygon) and a night curfew; 0.1 % of
# four-ping episodes walk into a victim's street. Reports pings/s, the violations found and
# the server's peak RSS. Client and server share the machine.
# Usage: bench/supervision.sh [PINGS] [CONCURRENCY]   (defaults: 5,000,000 pings, 3 in flight)
set -euo pipefail
cd "$(dirname "$0")/.."
PINGS=${1:-5000000}
CONC=${2:-3}
PERSONS=${PERSONS:-25000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/iz-target}"
cargo build --release --quiet --bin iz
IZ=$CARGO_TARGET_DIR/release/iz
WORK=$(mktemp -d)
trap 'kill $SERVER $RSSMON 2>/dev/null || true; rm -rf "$WORK"' EXIT
DATA=$WORK/data
echo "enrolling $PERSONS supervised persons…"
/usr/bin/time -f "%e s to enrol" $IZ gen supervision --seed 42 --persons "$PERSONS" --load "$DATA" 2>&1 | tail -2
INGEST=$($IZ token issue --data "$DATA" --role ingest 2>/dev/null | tail -1)
ADMIN=$($IZ token issue --data "$DATA" --role admin 2>/dev/null | tail -1)
$IZ gen supervision --seed 42 --persons "$PERSONS" --pings "$PINGS" -o "$WORK/pings.ndjson"
cat "$WORK/pings.ndjson" >/dev/null   # warm the page cache
PORT=$((20000 + RANDOM % 20000))
IZ_LOG=warn $IZ serve --data "$DATA" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
( peak=0; while kill -0 $SERVER 2>/dev/null; do r=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status 2>/dev/null || echo 0); [[ ${r:-0} -gt $peak ]] && peak=$r && echo $peak >"$WORK/rss.txt"; sleep 0.5; done ) &
RSSMON=$!
idle=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status)
$IZ ingest "$WORK/pings.ndjson" --url "http://127.0.0.1:$PORT" --token "$INGEST" --endpoint /v1/supervision/pings \
  --batch 10000 --concurrency "$CONC" --quiet | tee "$WORK/ingest.txt"
sleep 1
violations=$(curl -fs -H "authorization: Bearer $ADMIN" "http://127.0.0.1:$PORT/v1/supervision/violations?limit=10000" | python3 -c 'import json,sys,collections; v=json.load(sys.stdin); print(len(v), dict(collections.Counter(x["kind"] for x in v)))')
echo "violations recorded: $violations"
echo "server RSS: idle $((idle / 1024)) MiB, peak $(( $(cat "$WORK/rss.txt") / 1024 )) MiB"
grep -i "error\|panic" "$WORK/serve.log" | head -5 || true
