#!/usr/bin/env python3
"""Instructions per request, two binaries side by side (bench/run-instructions sets the
environment). Both binaries serve the same database, A (the older) first, each under
valgrind's callgrind, and answers the article rows of
`bench/run small` one after another on one connection: for each scenario the counters are
zeroed after a warm-up, REQUESTS requests are sent, and the counters are dumped. Instruction
counts do not move with the machine's load, so two builds can be compared on a busy machine;
they count newsroom's process only (PostgreSQL's work is left out).
Standard library only, plus valgrind.
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile

import loadgen

env = os.environ
requests_counted = int(env.get("REQUESTS", "300"))
port = int(env.get("PORT", "18097"))
email, password = "instructions@bench.example", "instructions bench password"
work = tempfile.mkdtemp(prefix="newsroom-instructions-")
builds = [("A", env["BIN_A"], env["DB_A"]), ("B", env["BIN_B"], env["DB_B"])]


def call(method, path, body=None, headers=None, expect=200):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    c.request(method, path, json.dumps(body) if body is not None else None, h)
    res = c.getresponse()
    data = res.read()
    if res.status != expect:
        raise SystemExit(f"{method} {path} -> {res.status}: {data[:300]!r}")
    return res, json.loads(data) if data else None


def start(binary, db_url):
    server_env = dict(env, DATABASE_URL=db_url, NEWSROOM_ADDR=f"127.0.0.1:{port}", RUST_LOG="warn",
                      NEWSROOM_METRICS_ADDR="", NEWSROOM_PUBLIC_RATE="10000000", NEWSROOM_PUBLIC_BURST="10000000")
    log = open(f"{work}/server.log", "a")
    command = loadgen.under_callgrind([binary, "serve"], work)
    server = subprocess.Popen(command, env=server_env, stdout=log, stderr=log)
    return loadgen.wait_ready(server, port, 3000, f"{work}/server.log")


def counted(server, send):
    """Instructions per request of `send(i)`: 20 warm-up calls, counters zeroed, REQUESTS calls, dump."""
    for i in range(20):
        send(i)

    def counted_calls(count):
        for i in range(count):
            send(20 + i)

    return loadgen.instructions_per_request(server, work, requests_counted, counted_calls)


def scenarios(staff):
    _, page = call("GET", "/api/v1/articles?limit=20", headers=staff)
    cursor = page["next"]
    for _ in range(49):  # page 50 via cursor (the server walks the same index however deep)
        _, deeper = call("GET", f"/api/v1/articles?limit=20&cursor={cursor}", headers=staff)
        cursor = deeper["next"] or cursor
    story = page["items"][0]["id"]
    res, _ = call("GET", f"/api/v1/articles/{story}", headers=staff)
    etag = [res.getheader("etag")]

    def patch(i):
        res, _ = call("PATCH", f"/api/v1/articles/{story}", {"standfirst": f"Standfirst {i}"},
                      dict(staff, **{"if-match": etag[0]}))
        etag[0] = res.getheader("etag")

    return [
        ("list, first page of 20", lambda i: call("GET", "/api/v1/articles?limit=20", headers=staff)),
        ("list, page 50 via cursor", lambda i: call("GET", f"/api/v1/articles?limit=20&cursor={cursor}", headers=staff)),
        ("one story", lambda i: call("GET", f"/api/v1/articles/{story}", headers=staff)),
        ("full-text search, topic words", lambda i: call("GET", "/api/v1/articles?q=harbour%20council&limit=20", headers=staff)),
        ("public list, first page of 20", lambda i: call("GET", "/public/v1/articles?limit=20")),
        ("PATCH (If-Match)", patch),
    ]


results = {}
for name, binary, db_url in builds:
    server = start(binary, db_url)
    try:
        _, login = call("POST", "/api/v1/auth/login", {"email": email, "password": password})
        staff = {"authorization": "Bearer " + login["token"]}
        for label, send in scenarios(staff):
            results.setdefault(label, {})[name] = counted(server, send)
            print(f"{name} {label}: {results[label][name]:,.0f}", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=120)

print(f"| scenario | A: instructions per request | B: instructions per request | B / A |")
print("|---|---|---|---|")
for label, by in results.items():
    print(f"| {label} | {by['A']:,.0f} | {by['B']:,.0f} | {by['B'] / by['A']:.3f} |")
print(f"\nA = `{builds[0][1]}`, B = `{builds[1][1]}`; {requests_counted} requests per scenario, callgrind.")
