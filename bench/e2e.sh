#!/usr/bin/env bash
# End-to-end figure: `iz ingest` posting NDJSON batches of 10,000 to `iz serve` (SQLite store),
# 10,000 wanted entries, 0.1 % of events by live wanted persons. Measures sustained events/s,
# that accepted == sent, alert latency (batch sent -> alert on /v1/alerts/stream) and peak RSS.
# Usage: [RATE=events/s] bench/e2e.sh [EVENTS] [CONCURRENCY]   (defaults: 20,000,000 events, 3 in flight,
# unpaced; with RATE the client paces itself, to measure latency at a given load)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-20000000}
CONC=${2:-3}
cargo build --release --quiet --bin iz
IZ=$(pwd)/target/release/iz
WORK=$(mktemp -d)
trap 'kill $SERVER $SSE $RSSMON 2>/dev/null || true; rm -rf "$WORK"' EXIT
DATA=$WORK/data
$IZ gen watchlist --seed 42 --load "$DATA" 2>/dev/null
INGEST=$($IZ token issue --data "$DATA" --role ingest 2>/dev/null | tail -1)
ADMIN=$($IZ token issue --data "$DATA" --role admin 2>/dev/null | tail -1)
echo "generating $EVENTS events…"
$IZ gen events --seed 42 --count "$EVENTS" --hit-share 0.001 --rate 300000 -o "$WORK/events.ndjson" 2>"$WORK/gen.txt"
cat "$WORK/gen.txt"
sync                                  # no writeback of the file during the run (it would stall fsyncs)
cat "$WORK/events.ndjson" >/dev/null   # warm the page cache
PORT=$((20000 + RANDOM % 20000))
IZ_LOG=warn $IZ serve --data "$DATA" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
python3 bench/sse_latency.py --url "http://127.0.0.1:$PORT" --token "$ADMIN" --out "$WORK/sse.txt" >"$WORK/sse.ready" &
SSE=$!
for _ in $(seq 50); do grep -q ready "$WORK/sse.ready" 2>/dev/null && break; sleep 0.1; done
( peak=0; while kill -0 $SERVER 2>/dev/null; do r=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status 2>/dev/null || echo 0); [[ ${r:-0} -gt $peak ]] && peak=$r && echo $peak >"$WORK/rss.txt"; sleep 0.5; done ) &
RSSMON=$!
idle_rss=$(awk '/VmRSS/{print $2}' /proc/$SERVER/status)
/usr/bin/time -f "%e s wall, %P CPU (ingest client)" $IZ ingest "$WORK/events.ndjson" --url "http://127.0.0.1:$PORT" --token "$INGEST" \
  --batch 10000 --concurrency "$CONC" ${RATE:+--rate $RATE} --batch-log "$WORK/batches.txt" --quiet | tee "$WORK/ingest.txt"
sleep 1
cp "$WORK/batches.txt" /tmp/iz-last-batches.txt
kill $SSE 2>/dev/null || true
python3 - "$WORK" "$EVENTS" "$idle_rss" <<'PY'
import sys, re, statistics
work, events, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
batches = {}
for line in open(f"{work}/batches.txt"):
    first, n, sent, answered = map(int, line.split())
    batches[first] = (n, sent, answered)
starts = sorted(batches)
lat = []
import bisect
for line in open(f"{work}/sse.txt"):
    t, change, eid = line.split()
    n = int(eid.rsplit("-", 1)[1]) + 1   # 1-based line number
    i = bisect.bisect_right(starts, n) - 1
    first = starts[i]
    lat.append((int(t) - batches[first][1]) / 1e6)
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
service = sorted((a - s) / 1e6 for (n, s, a) in batches.values())
qs = lambda p: service[min(len(service) - 1, int(p * len(service)))]
rss = int(open(f"{work}/rss.txt").read().strip())
report = open(f"{work}/ingest.txt").read().strip()
gen = open(f"{work}/gen.txt").read().strip()
m = re.search(r"(\d+) accepted", report)
print(f"\n{report}\n{gen}")
print(f"alerts on the stream: {len(lat)}; latency batch-sent -> alert on stream: p50 {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, max {lat[-1] if lat else float('nan'):.1f} ms")
print(f"batch round trip (10,000 events): p50 {qs(0.5):.1f} ms, p99 {qs(0.99):.1f} ms")
print(f"accepted == sent: {m and int(m.group(1)) == events}")
print(f"server RSS: idle with 10,000 entries {idle/1024:.0f} MiB, peak under load {rss/1024:.0f} MiB")
PY
