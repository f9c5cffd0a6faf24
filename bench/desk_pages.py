"""Page weight and server time of every desk screen, as a signed-in admin meets them: HTML
bytes, the bytes on the wire when the client accepts gzip (when the server does not compress,
the page gzipped here at level 6, marked "local", which is what a compressing proxy would
send), and the median and p95 of REQUESTS sequential requests on one keep-alive connection,
timed from sending to the last byte, with the Server-Timing header when the server sends one.
A screen whose route answers 404 is skipped with a note.

Usage: desk_pages.py HOST PORT EMAIL PASSWORD [REQUESTS]   (see bench/run-desk)
Prints a markdown table.
"""
import gzip
import html
import json
import http.client
import re
import statistics
import sys
import time
import urllib.parse

host, port, email, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
requests = int(sys.argv[5]) if len(sys.argv) > 5 else 20
conn = http.client.HTTPConnection(host, port)
cookies = {}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def call(method, path, body=None, gz=False):
    headers = {"cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "accept": "text/html"}
    if gz:
        headers["accept-encoding"] = "gzip"
    if body is not None:
        headers["content-type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    raw = r.read()
    for value in r.headers.get_all("set-cookie") or []:
        name, _, rest = value.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return r, raw


def text(raw, r):
    if r.getheader("content-encoding") == "gzip":
        raw = gzip.decompress(raw)
    return raw.decode()


def hidden(page, name):
    m = re.search(f'name="{name}" value="([^"]*)"', page)
    if not m:
        raise SystemExit(f"no {name} field in the page")
    return m.group(1)


def first(pattern, page):
    m = re.search(pattern, page)
    return html.unescape(m.group(1)) if m else None


r, raw = call("GET", "/admin/login")
r, _ = call("POST", "/admin/login", {"csrf": hidden(text(raw, r), "csrf"), "email": email, "password": password})
if r.status != 303:
    raise SystemExit(f"sign-in answered {r.status}")

# The ids the screens need, found on the pages that link them.
r, raw = call("GET", "/admin/stories")
stories = text(raw, r)
story = first(rf'href="/admin/stories/({UUID})"', stories)
r, raw = call("GET", "/admin/partners")
partners = text(raw, r)
partner = first(rf'href="/admin/partners/({UUID})"', partners)
if partner is None:
    # A bench partner, made through the desk's own form (kept for the next run).
    r, _ = call("POST", "/admin/partners", {"csrf": hidden(partners, "csrf"), "name": "Bench Wire"})
    if r.status != 201:
        raise SystemExit(f"making the bench partner answered {r.status}")
    r, raw = call("GET", "/admin/partners")
    partner = first(rf'href="/admin/partners/({UUID})"', text(raw, r))
r, raw = call("GET", "/admin/subscribers")
subscriber = first(rf'href="/admin/subscribers/({UUID})"', text(raw, r)) if r.status == 200 else None
r, raw = call("GET", "/admin/newsletters")
newsletter = first(r'href="(/admin/newsletters/[^"/?]+)"', text(raw, r)) if r.status == 200 else None
issue = None
if newsletter:
    r, raw = call("GET", newsletter)
    issue = first(r'href="(/admin/newsletters/[^"/]+/issues/\d+)"', text(raw, r))
    if issue is None:
        # A bench issue of the ten newest public stories (published, no embargo ahead), made through the JSON API (kept
        # for the next run; never sent).
        api = http.client.HTTPConnection(host, port)
        api.request("POST", "/api/v1/auth/login", body=json.dumps({"email": email, "password": password}),
                    headers={"content-type": "application/json"})
        token = json.loads(api.getresponse().read())["token"]
        auth = {"authorization": f"Bearer {token}", "content-type": "application/json"}
        api.request("GET", "/api/v1/articles?status=published&limit=100", headers=auth)
        now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        ids = [a["id"] for a in json.loads(api.getresponse().read())["items"]
               if not a.get("embargo_until") or a["embargo_until"][:19] <= now][:10]
        key = newsletter.rsplit("/", 1)[1]
        api.request("POST", f"/api/v1/newsletters/{key}/issues", headers=auth,
                    body=json.dumps({"subject": "Bench briefing", "intro": "The week.", "article_ids": ids}))
        made = api.getresponse()
        made_body = json.loads(made.read())
        if made.status != 201:
            raise SystemExit(f"making the bench issue answered {made.status}: {made_body}")
        issue = f"{newsletter}/issues/{made_body['number']}"

screens = [
    ("dashboard", "/admin"),
    ("stories list", "/admin/stories"),
    ("editor of one story", story and f"/admin/stories/{story}"),
    ("partners", "/admin/partners"),
    ("partner", partner and f"/admin/partners/{partner}"),
    ("deliveries", partner and f"/admin/partners/{partner}/deliveries"),
    ("usage", partner and f"/admin/partners/{partner}/usage"),
    ("staff", "/admin/staff"),
    ("audit log", "/admin/audit"),
    ("outlets", "/admin/outlets"),
    ("sections", "/admin/sections"),
    ("subscribers", "/admin/subscribers"),
    ("subscribers, a search", "/admin/subscribers?q=reader-4242"),
    ("subscriber", subscriber and f"/admin/subscribers/{subscriber}"),
    ("subscriber import", "/admin/subscribers/import"),
    ("newsletters", "/admin/newsletters"),
    ("newsletter", newsletter),
    ("issue (compose)", issue),
    ("issue preview", issue and f"{issue}/preview"),
    ("issue send (confirm)", issue and f"{issue}/send"),
]

rows, notes = [], []
for name, path in screens:
    if not path:
        notes.append(f"- {name}: skipped (no such page to open: nothing links one)")
        continue
    r, raw = call("GET", path)
    if r.status == 404:
        notes.append(f"- {name}: skipped ({path} answers 404: the screen does not exist yet)")
        continue
    if r.status != 200:
        notes.append(f"- {name}: skipped ({path} answered {r.status})")
        continue
    html_bytes = len(text(raw, r).encode())
    r, raw = call("GET", path, gz=True)
    if r.getheader("content-encoding") == "gzip":
        wire = f"{len(raw):,}"
    else:
        wire = f"{len(gzip.compress(text(raw, r).encode(), 6)):,} (local)"
    times, timing = [], ""
    for _ in range(requests):
        started = time.perf_counter()
        r, raw = call("GET", path, gz=True)
        times.append((time.perf_counter() - started) * 1000)
        if r.status != 200:
            raise SystemExit(f"{path} answered {r.status} while timed")
        timing = r.getheader("server-timing") or timing
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    rows.append((name, path, html_bytes, wire, statistics.median(times), p95, timing or "—"))

print(f"| screen | path | HTML bytes | gzip bytes | median ms | p95 ms | Server-Timing |")
print(f"|---|---|---:|---:|---:|---:|---|")
for name, path, size, wire, med, p95, timing in rows:
    short = re.sub(UUID, "{id}", path)
    print(f"| {name} | `{short}` | {size:,} | {wire} | {med:.1f} | {p95:.1f} | {timing} |")
print(f"\n{requests} sequential requests a screen on one keep-alive connection, timed client side.")
if notes:
    print("\n" + "\n".join(notes))
