"""Server time of the desk's pages, as a signed-in person's browser meets them: one client on
one keep-alive connection, each request sent when the answer before it is read, timed from
sending to the last byte. Scenarios: the story list (first page, 50 rows, with its counts
per status), the list filtered by status and outlet, a full-text search, the second page
(keyset cursor), and the editor of 20 different stories in turn.

Usage: desk_latency.py HOST PORT EMAIL PASSWORD [REQUESTS] [ROUNDS]  (see bench/run-desk)
Prints a line per scenario and round, then the medians over the rounds of p50/p95/p99.
"""
import html
import http.client
import re
import statistics
import sys
import time
import urllib.parse

host, port, email, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
requests = int(sys.argv[5]) if len(sys.argv) > 5 else 200
rounds = int(sys.argv[6]) if len(sys.argv) > 6 else 3
conn = http.client.HTTPConnection(host, port)
cookies = {}


def call(method, path, body=None):
    headers = {"cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "accept": "text/html"}
    if body is not None:
        headers["content-type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    text = r.read().decode()
    for value in r.headers.get_all("set-cookie") or []:
        name, _, rest = value.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return r.status, text


def hidden(text, name):
    m = re.search(f'name="{name}" value="([^"]*)"', text)
    if not m:
        raise SystemExit(f"no {name} field in the page")
    return m.group(1)


status, page = call("GET", "/admin/login")
status, _ = call("POST", "/admin/login", {"csrf": hidden(page, "csrf"), "email": email, "password": password})
if status != 303:
    raise SystemExit(f"sign-in answered {status}")
status, first = call("GET", "/admin/stories")
if status != 200:
    raise SystemExit(f"the list answered {status}")
story_ids = list(dict.fromkeys(re.findall(r'href="/admin/stories/([0-9a-f-]{36})"', first)))[:20]
outlet = re.search(r'<option value="([0-9a-f-]{36})"', first).group(1)
older = re.search(r'<a href="([^"]+)" rel="next">', first)
if not older:
    raise SystemExit("the list has no link to older stories")
next_page = html.unescape(older.group(1))
if len(story_ids) < 20:
    raise SystemExit(f"the list shows {len(story_ids)} stories, 20 wanted")

scenarios = {
    "list, first page": ["/admin/stories"],
    "list, status + outlet": [f"/admin/stories?status=draft&outlet={outlet}"],
    "list, full-text search": [f"/admin/stories?q={urllib.parse.quote(q)}" for q in ("monsoon", "vaccine", "cyclone")],
    "list, second page": [next_page],
    "editor": [f"/admin/stories/{i}" for i in story_ids],
}


def pct(values, f):
    values = sorted(values)
    return values[min(len(values) - 1, int(f * len(values)))]


results = {name: [] for name in scenarios}
for rnd in range(rounds):
    for name, paths in scenarios.items():
        for path in paths:  # warm-up, and every page must answer 200
            status, text = call("GET", path)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            if rnd == 0 and path == paths[0]:
                rows = text.count("<tr") - text.count("<thead")
                print(f"{name}: {len(text.encode()):,} bytes, {rows} table rows", flush=True)
        times = []
        for i in range(requests):
            t = time.perf_counter()
            call("GET", paths[i % len(paths)])
            times.append((time.perf_counter() - t) * 1000)
        row = (pct(times, .5), pct(times, .95), pct(times, .99))
        results[name].append(row)
        print(f"round {rnd + 1}, {name}: p50 {row[0]:.1f} ms, p95 {row[1]:.1f} ms, p99 {row[2]:.1f} ms", flush=True)

print(f"\n| scenario ({requests} requests a round, median of {rounds} rounds) | p50 ms | p95 ms | p99 ms | p95 ≤ 20 ms |")
print("|---|---|---|---|---|")
for name, rows in results.items():
    p50, p95, p99 = (statistics.median(r[k] for r in rows) for k in range(3))
    print(f"| {name} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {'met' if p95 <= 20 else 'MISSED'} |")
