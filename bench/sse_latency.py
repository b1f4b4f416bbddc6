#!/usr/bin/env python3
"""Listens to /v1/alerts/stream and writes one line per alert change: arrival time (ns since the
epoch), change kind, last_event_id. Stops when killed or after --seconds. Standard library only."""
import argparse, http.client, json, sys, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--url", required=True)
p.add_argument("--token", required=True)
p.add_argument("--out", required=True)
p.add_argument("--seconds", type=float, default=3600)
a = p.parse_args()
u = urllib.parse.urlparse(a.url)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=a.seconds)
conn.request("GET", "/v1/alerts/stream", headers={"Authorization": f"Bearer {a.token}", "Accept": "text/event-stream"})
resp = conn.getresponse()
if resp.status != 200:
    sys.exit(f"stream answered {resp.status}")
deadline = time.time() + a.seconds
with open(a.out, "w") as out:
    print("ready", flush=True)
    while time.time() < deadline:
        line = resp.fp.readline()
        if not line:
            break
        if line.startswith(b"data: "):
            now = time.time_ns()
            item = json.loads(line[6:])
            out.write(f"{now} {item['change']} {item['alert']['last_event_id']}\n")
            out.flush()
