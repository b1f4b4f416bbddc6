#!/usr/bin/env bash
# End-to-end anti-fraud figures on one machine (client and server share its cores):
#  1. streaming: a fraud wave (`iz gen fraud`: customers, mules fed by called victims, SIM
#     boxes) posted by `iz ingest` to `POST /v1/fraud/events` in NDJSON batches → events/s;
#  2. decisions: `POST /v1/fraud/decide` at a fixed offered rate (open loop) against the state
#     the wave left → latency percentiles;
#  3. the bus: the same wave published to NATS JetStream (`iz fraud publish`), consumed by a
#     fresh `iz serve` with `[fraud] nats_url` → transactions/s from its start to the last one
#     applied (needs NATS with JetStream at $IZ_TEST_NATS_URL, default nats://127.0.0.1:4222;
#     uses and replaces the stream IZ_BENCH).
# Usage: bench/fraud.sh [CUSTOMERS] [TRANSFERS] [RATE] [SECONDS]  (defaults 200000 1000000 3000 20)
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${1:-200000}
TRANSFERS=${2:-1000000}
RATE=${3:-3000}
SECONDS_=${4:-20}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/iz-target}"
cargo build --release --quiet --bin iz --example decide_load
IZ=$CARGO_TARGET_DIR/release/iz
LOAD=$CARGO_TARGET_DIR/release/examples/decide_load
WORK=$(mktemp -d)
SERVER2=
trap 'kill $SERVER $SERVER2 2>/dev/null || true; rm -rf "$WORK"' EXIT
DATA=$WORK/data
INGEST=$($IZ token issue --data "$DATA" --role ingest 2>/dev/null | tail -1)
$IZ gen fraud --customers "$CUSTOMERS" --transfers "$TRANSFERS" --mules 200 --sim-boxes 5 -o "$WORK/wave.ndjson" 2>"$WORK/truth.txt"
cut -c1-160 "$WORK/truth.txt"
cat "$WORK/wave.ndjson" >/dev/null   # warm the page cache
PORT=$((20000 + RANDOM % 20000))
# Propagation every 5 s, so that passes over the graph fall inside the decisions' window.
IZ_FRAUD__PROPAGATE_EVERY_S=${PROPAGATE_EVERY_S:-5} IZ_LOG=warn $IZ serve --data "$DATA" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
idle=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status)
echo "== streaming: POST /v1/fraud/events"
$IZ ingest "$WORK/wave.ndjson" --url "http://127.0.0.1:$PORT" --token "$INGEST" --endpoint /v1/fraud/events \
  --batch 10000 --concurrency 2 --quiet
loaded=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status)
echo "server RSS: idle $((idle / 1024)) MiB, after the wave $((loaded / 1024)) MiB"
echo "== decisions: POST /v1/fraud/decide at $RATE/s for $SECONDS_ s"
$LOAD "http://127.0.0.1:$PORT" "$INGEST" "$RATE" "$SECONDS_" "$CUSTOMERS"
kill $SERVER
echo "== the bus: NATS JetStream"
NATS=${IZ_TEST_NATS_URL:-nats://127.0.0.1:4222}
$IZ fraud publish "$WORK/wave.ndjson" --nats "$NATS" --subject iz.bench.fraud --stream IZ_BENCH --batch 1000 --fresh
TXS=$(grep -c '"kind":"transaction"' "$WORK/wave.ndjson")
DATA2=$WORK/data2
ADMIN2=$($IZ token issue --data "$DATA2" --role admin 2>/dev/null | tail -1)
IZ_FRAUD__NATS_URL=$NATS IZ_FRAUD__NATS_SUBJECT=iz.bench.fraud IZ_FRAUD__NATS_STREAM=IZ_BENCH IZ_LOG=warn \
  $IZ serve --data "$DATA2" --addr 127.0.0.1:$((PORT + 1)) >"$WORK/serve2.log" 2>&1 &
SERVER2=$!
start=$(date +%s.%N)
for _ in $(seq 1200); do
  done_=$(curl -fs -H "authorization: Bearer $ADMIN2" "http://127.0.0.1:$((PORT + 1))/v1/fraud/overview" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["transactions"])' 2>/dev/null || echo 0)
  [[ $done_ -ge $TXS ]] && break
  sleep 0.1
done
end=$(date +%s.%N)
python3 -c "print(f'consumed {$done_} of {$TXS} transactions from JetStream in {$end - $start:.1f} s from the server start: {$done_ / ($end - $start):.0f} transactions/s')"
grep -i "error\|panic" "$WORK/serve.log" "$WORK/serve2.log" | head -5 || true
