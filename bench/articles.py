#!/usr/bin/env python3
"""Latency of the articles API on a seeded database, from one keep-alive client.

Measures: the first list page, a page 1,000 pages deep (reached by walking the cursor), full-text
search, PATCH and publish. Prints a Markdown table. Standard library only.
Usage: bench/articles.py http://127.0.0.1:18080 admin@bench.example 'password' N
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

base, email, password, samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def call(method, path, body=None, headers=None):
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    if TOKEN:
        h["authorization"] = "Bearer " + TOKEN
    started = time.perf_counter()
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    res = conn.getresponse()
    data = res.read()
    elapsed = (time.perf_counter() - started) * 1000
    if res.status >= 400:
        raise SystemExit(f"{method} {path} -> {res.status}: {data[:300]!r}")
    return json.loads(data) if data else None, res, elapsed


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(name, fn):
    for _ in range(5):  # warm-up
        fn()
    times = [fn() for _ in range(samples)]
    row = (name, statistics.median(times), pct(times, 95), pct(times, 99), 1000 / statistics.mean(times))
    print(f"| {row[0]} | {row[1]:.2f} | {row[2]:.2f} | {row[3]:.2f} | {row[4]:.0f} |", flush=True)
    return row


TOKEN = None
body, _, _ = call("POST", "/api/v1/auth/login", {"email": email, "password": password})
TOKEN = body["token"]

print("| scenario | p50 ms | p95 ms | p99 ms | req/s (1 client) |")
print("|---|---|---|---|---|")
first = measure("list, first page of 20", lambda: call("GET", "/api/v1/articles?limit=20")[2])

cursor, depth = None, 1
while depth < 1000:
    page, _, _ = call("GET", "/api/v1/articles?limit=20" + (f"&cursor={cursor}" if cursor else ""))
    if not page["next"]:
        break
    cursor, depth = page["next"], depth + 1
deep_path = "/api/v1/articles?limit=20" + (f"&cursor={cursor}" if cursor else "")
deep = measure(f"list, page {depth:,} via cursor", lambda: call("GET", deep_path)[2])

# Topic words are in about 1.7% of the seeded stories; the common words in 12-25%.
query_sets = {
    "full-text search, topic words (~1.7% of stories)": ["monsoon", "refinery -cricket", '"trade story"', "vaccine", "cyclone"],
    "full-text search, common words (12-25% of stories)": ["rivin", "kadar pensol", "soldar"],
}
state = {"i": 0}


def searcher(queries):
    def search():
        state["i"] += 1
        q = urllib.parse.quote(queries[state["i"] % len(queries)])
        return call("GET", f"/api/v1/articles?q={q}&limit=20")[2]
    return search


for name, queries in query_sets.items():
    measure(name, searcher(queries))

outlets, _, _ = call("GET", "/api/v1/outlets?limit=1")
sections, _, _ = call("GET", "/api/v1/sections?limit=1")
authors, _, _ = call("GET", f"/api/v1/authors?limit=1&outlet_id={outlets['items'][0]['id']}")
draft = {"outlet_id": outlets["items"][0]["id"], "headline": "Benchmark story", "body": "Body text.\n" * 200,
         "section_id": sections["items"][0]["id"], "author_ids": [authors["items"][0]["id"]]}
article, _, _ = call("POST", "/api/v1/articles", draft)
version = {"v": article["version"]}


def patch():
    _, res, ms = call("PATCH", f"/api/v1/articles/{article['id']}", {"standfirst": f"Edit {version['v']}"},
                      {"if-match": f'"{version["v"]}"'})
    version["v"] += 1
    return ms


edit = measure("PATCH (If-Match)", patch)


def publish():
    created, _, _ = call("POST", "/api/v1/articles", draft)
    return call("POST", f"/api/v1/articles/{created['id']}/actions/publish", None, {"if-match": '"1"'})[2]


pub = measure("publish action", publish)
print()
print(f"deep page / first page (p50): {deep[1] / first[1]:.2f}")
