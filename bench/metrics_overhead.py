#!/usr/bin/env python3
"""The cost of the metrics on the change feed's throughput (issue 20: at most 3 %), run by
bench/run-metrics-overhead (which sets the environment). Starts `newsroom serve` RUNS times
in each of two modes, alternating so that drift on the machine hits both alike:
  off: NEWSROOM_METRICS_ADDR empty (no listener; the request middleware still counts), or,
       with BASELINE_BIN set, that binary (a build from before the metrics: the whole cost);
  on:  the listener on, scraped every second (as a Prometheus with a 1 s interval would).
Each run: wrk -t1 -c CONNECTIONS for DURATION seconds on one page of 20 of the feed, from
the middle of it. Prints a Markdown table with the medians and the overhead.
With COUNT=instructions, each mode runs once under valgrind's callgrind instead: REQUESTS
feed requests one after another (after a warm-up), one scrape per 1,000 requests in mode
"on", and the server's instructions per request are counted. Counted instructions do not
depend on what else the machine is doing, so the figure holds on a busy machine; it is the
cost in newsroom's process only (PostgreSQL's share of each request is left out, which makes
the ratio an upper bound of the throughput overhead).
Standard library only, plus wrk (or valgrind).
"""
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import base64

import loadgen
from loadgen import wrk

env = os.environ
runs, duration, conns = int(env.get("RUNS", "5")), int(env.get("DURATION", "10")), int(env.get("CONNECTIONS", "8"))
port, metrics_port = int(env.get("PORT", "18095")), int(env.get("METRICS_PORT", "18096"))
db_url, binary, email, password = env["BENCH_DB_URL"], env["BENCH_BIN"], env["BENCH_EMAIL"], env["BENCH_PASSWORD"]
baseline = env.get("BASELINE_BIN") or binary
counting = env.get("COUNT") == "instructions"
requests_counted = int(env.get("REQUESTS", "2000"))
base = f"http://127.0.0.1:{port}"
work = tempfile.mkdtemp(prefix="newsroom-metrics-bench-")


def psql(sql):
    return subprocess.run(["psql", db_url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout.strip()


def call(method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    c.request(method, path, json.dumps(body) if body is not None else None, h)
    res = c.getresponse()
    data = res.read()
    if res.status >= 400:
        raise SystemExit(f"{method} {path} -> {res.status}: {data[:300]!r}")
    return json.loads(data)


def start(metrics):
    server_env = dict(env, DATABASE_URL=db_url, NEWSROOM_ADDR=f"127.0.0.1:{port}", NEWSROOM_LOG="json",
                      RUST_LOG="warn", NEWSROOM_PARTNER_RATE="10000000", NEWSROOM_PARTNER_BURST="10000000",
                      NEWSROOM_METRICS_ADDR=f"127.0.0.1:{metrics_port}" if metrics else "")
    log = open(f"{work}/server.log", "a")
    command = [binary if metrics else baseline, "serve"]
    if counting:
        command = loadgen.under_callgrind(command, work)
    server = subprocess.Popen(command, env=server_env, stdout=log, stderr=log)
    return loadgen.wait_ready(server, port, 3000 if counting else 300, f"{work}/server.log")


def scraper(stop):
    """Scrapes the metrics listener every second until `stop` is set."""
    while not stop.wait(1.0):
        c = http.client.HTTPConnection("127.0.0.1", metrics_port, timeout=5)
        c.request("GET", "/metrics", headers={"accept": "application/openmetrics-text; version=1.0.0"})
        c.getresponse().read()


server = start(metrics=False)
token = call("POST", "/api/v1/auth/login", {"email": email, "password": password})["token"]
staff = {"Authorization": "Bearer " + token}
partner = call("POST", "/api/v1/partners", {"name": "Metrics bench"}, staff)["id"]
key = call("POST", f"/api/v1/partners/{partner}/keys", {}, staff)["key"]
server.terminate()
server.wait(timeout=30)
events = int(psql("select count(*) from outbox_events"))
if events < 40:
    raise SystemExit("the database has fewer than 40 outbox events: seed it first")
txid, event = psql(f"select txid::text || ' ' || id from outbox_events order by txid, id offset {events // 2} limit 1").split()
cursor = base64.urlsafe_b64encode(json.dumps([int(txid), event]).encode()).decode().rstrip("=")
lua = f"{work}/feed.lua"
with open(lua, "w") as f:
    f.write(f"""wrk.headers["X-Api-Key"] = "{key}"
wrk.path = "/syndication/v1/articles?since={cursor}&limit=20"
local reported = false
response = function(status, headers, body)
  if status ~= 200 and not reported then
    reported = true
    io.stderr:write("first non-200 answer: " .. status .. " " .. string.sub(body, 1, 300) .. "\\n")
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %.3f %.3f %.3f\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
""")

def instructions(server, path, headers, scrape):
    """Instructions the server spends per request: counters zeroed after a warm-up, then
    `requests_counted` requests on one connection, then a dump of the counters."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    def get(n):
        for i in range(n):
            c.request("GET", path, headers=headers)
            res = c.getresponse()
            res.read()
            if res.status != 200:
                raise SystemExit(f"GET {path} -> {res.status}")
            if scrape and i % 1000 == 999:
                m = http.client.HTTPConnection("127.0.0.1", metrics_port, timeout=600)
                m.request("GET", "/metrics", headers={"accept": "application/openmetrics-text; version=1.0.0"})
                m.getresponse().read()
    get(100)
    return loadgen.instructions_per_request(server, work, requests_counted, get)


if counting:
    path = f"/syndication/v1/articles?since={cursor}&limit=20"
    per_request = {}
    for mode in ("off", "on"):
        server = start(metrics=mode == "on")
        try:
            per_request[mode] = instructions(server, path, {"X-Api-Key": key}, scrape=mode == "on")
        finally:
            server.terminate()
            server.wait(timeout=120)
        print(f"{mode}: {per_request[mode]:,.0f} instructions per request", file=sys.stderr, flush=True)
    off_label = f"off: `{baseline}`" if baseline != binary else "off (`NEWSROOM_METRICS_ADDR=`)"
    print(f"| metrics | instructions per feed request (page of 20, {requests_counted} requests, callgrind) |")
    print("|---|---|")
    print(f"| {off_label} | {per_request['off']:,.0f} |")
    print(f"| on, scraped every 1,000 requests | {per_request['on']:,.0f} |")
    extra = (per_request["on"] - per_request["off"]) / per_request["off"] * 100
    print(f"\nInstructions the metrics add to a feed request in newsroom's process: {extra:.1f} % "
          "(an upper bound of the throughput overhead; target: at most 3 %).")
    sys.exit(0)

results = {"off": [], "on": []}
for i in range(runs):
    for mode in ("off", "on"):
        server = start(metrics=mode == "on")
        stop = threading.Event()
        scraping = threading.Thread(target=scraper, args=(stop,)) if mode == "on" else None
        if scraping:
            scraping.start()
        try:
            wrk(base, lua, conns, 2)  # warm-up, not reported
            r = wrk(base, lua, conns, duration)
        finally:
            stop.set()
            if scraping:
                scraping.join()
            server.terminate()
            server.wait(timeout=30)
        if r["errors"]:
            raise SystemExit(f"{r['errors']} non-200 answers in mode {mode}")
        results[mode].append(r)
        print(f"run {i + 1}/{runs} {mode}: {r['rate']:.0f} req/s, p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms",
              file=sys.stderr, flush=True)

med = {m: {k: statistics.median(r[k] for r in rs) for k in ("rate", "p50", "p99")} for m, rs in results.items()}
overhead = (med["off"]["rate"] - med["on"]["rate"]) / med["off"]["rate"] * 100
print(f"| metrics | feed page of 20, req/s (median of {runs}) | p50 ms | p99 ms |")
print("|---|---|---|---|")
off_label = f"off: `{baseline}`" if baseline != binary else "off (`NEWSROOM_METRICS_ADDR=`)"
for mode, label in (("off", off_label), ("on", "on, scraped every second")):
    print(f"| {label} | {med[mode]['rate']:.0f} | {med[mode]['p50']:.2f} | {med[mode]['p99']:.2f} |")
print(f"\nThroughput overhead of the metrics: {overhead:.1f} % (target: at most 3 %).")
