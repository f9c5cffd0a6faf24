"""Times staff full-text searches with one client: 8 queries, 25 times each; prints p50/p95/p99.
Usage: search_latency.py BASE_URL EMAIL PASSWORD (see bench/run-search-scale)."""
import json, sys, time, urllib.request, urllib.parse, statistics
base, email, password = sys.argv[1:4]
def call(path, token=None, body=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None,
                                 headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())
token = call("/api/v1/auth/login", body={"email": email, "password": password})["token"]
searches = ["monsoon", "refinery -cricket", '"trade story"', "vaccine", "cyclone", "ministry", "port authorities", "rice farmers"]
paths = [f"/api/v1/articles?q={urllib.parse.quote(q)}&limit=20" for q in searches]
for p in paths: call(p, token)
times = {q: [] for q in searches}
for i in range(25):
    for q, p in zip(searches, paths):
        t = time.perf_counter(); call(p, token); times[q].append((time.perf_counter() - t) * 1000)
allt = sorted(x for v in times.values() for x in v)
q = lambda v, f: sorted(v)[min(len(v) - 1, int(f * len(v)))]
for s in searches:
    print(f"{s!r}: p50 {q(times[s], .5):.1f} ms, p95 {q(times[s], .95):.1f} ms")
print(f"all {len(allt)} searches: p50 {q(allt, .5):.1f} ms, p95 {q(allt, .95):.1f} ms, p99 {q(allt, .99):.1f} ms")
