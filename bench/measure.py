#!/usr/bin/env python3
"""The measurements of `bench/run` (which sets the environment): starts and stops the server,
prepares the data every scenario needs through the API, captures the SQL of the read
requests (bench/sqlcapture.py), then RUNS times over measures each scenario with wrk and
its SQL with pgbench -M prepared, the feed and the story at a fixed rate with oha, a login
storm beside the feed, and finally the server's peak RSS. Prints the Markdown report.
Standard library only, plus wrk, oha, pgbench and psql.
Usage: bench/measure.py http://127.0.0.1:PORT admin-email 'password' (run by bench/run)
"""
import atexit
import base64
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import peerreads
import report
import sqlcapture
from loadgen import CpuMeter, oha, parse_wrk, pgbench, wrk

base, email, password = sys.argv[1:4]
env = os.environ
runs, duration = int(env.get("RUNS", "3")), int(env.get("DURATION", "10"))
warmup, conns = int(env.get("WARMUP", "2")), int(env.get("CONNECTIONS", "8"))
storm_conns = int(env.get("STORM_CONNECTIONS", "4"))
db, db_url = env["BENCH_DB"], env["BENCH_DB_URL"]
url = urllib.parse.urlparse(base)
work = tempfile.mkdtemp(prefix="newsroom-bench-")
atexit.register(shutil.rmtree, work, ignore_errors=True)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def psql(sql):
    return sqlcapture.psql(db_url, sql)


# --- The server, started by this script so that it can restart it after the capture.
server = None


def start_server():
    global server
    server_env = dict(env, DATABASE_URL=db_url, NEWSROOM_ADDR=f"127.0.0.1:{url.port}", NEWSROOM_LOG="json",
                      RUST_LOG="warn", NEWSROOM_PARTNER_RATE="10000000", NEWSROOM_PARTNER_BURST="10000000",
                      NEWSROOM_PUBLIC_RATE="10000000", NEWSROOM_PUBLIC_BURST="10000000")
    with open(env["BENCH_SERVER_LOG"], "a") as out:
        server = subprocess.Popen([env["BENCH_BIN"], "serve"], env=server_env, stdout=out, stderr=out)
    for _ in range(300):
        try:
            c = http.client.HTTPConnection(url.hostname, url.port, timeout=2)
            c.request("GET", "/health/ready")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"the server did not start; see {env['BENCH_SERVER_LOG']}")


def stop_server():
    global server
    if server and server.poll() is None:
        server.terminate()
        server.wait(timeout=30)
    server = None


atexit.register(stop_server)
conn = None


def call(method, path, body=None, headers=None):
    global conn
    if conn is None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    res = conn.getresponse()
    data = res.read()
    if res.status >= 400:
        raise SystemExit(f"{method} {path} -> {res.status}: {data[:300]!r}")
    return json.loads(data) if data and res.getheader("content-type", "").endswith("json") else data


# --- Capture server: every statement of the benchmark database is logged while it runs.
log_file = sqlcapture.log_path(db_url)
try:
    log_offset = os.path.getsize(log_file)
except OSError as e:
    raise SystemExit(f"cannot read PostgreSQL's log {log_file} (set PG_LOG): {e}")
sqlcapture.enable(db_url, db)
start_server()

# Articles left by the write scenarios of an earlier run, so every run measures the seeded data.
psql("delete from outbox_events where article_id in (select id from articles where tags @> '{bench-write}')")
psql("delete from articles where tags @> '{bench-write}'")

token = call("POST", "/api/v1/auth/login", {"email": email, "password": password})["token"]
staff = {"Authorization": "Bearer " + token}
found = call("GET", "/api/v1/partners?q=Syndication%20bench", headers=staff)["items"]
partner = found[0]["id"] if found else call("POST", "/api/v1/partners", {"name": "Syndication bench"}, staff)["id"]
partner_key = {"X-Api-Key": call("POST", f"/api/v1/partners/{partner}/keys", {}, staff)["key"]}

# The feed cursor in the middle of the feed, from the database: (txid, id) as the feed orders.
events = int(psql("select count(*) from outbox_events"))
middle = psql(f"select txid::text || ' ' || id from outbox_events order by txid, id offset {events // 2} limit 1").split()
cursor = base64.urlsafe_b64encode(json.dumps([int(middle[0]), middle[1]]).encode()).decode().rstrip("=")
feed_path = f"/syndication/v1/articles?since={cursor}&limit=20"
story_path = "/syndication/v1/articles/" + psql(f"select article_id from outbox_events order by txid, id offset {events // 2 + 1} limit 1")
# The feed shows only events older than the oldest transaction running on the PostgreSQL server
# (pg_snapshot_xmin): freshly seeded events wait for any long transaction elsewhere to end.
for waited in range(0, 1800, 5):
    page = call("GET", feed_path, headers=partner_key)
    if len(page["items"]) == 20:
        break
    if waited % 60 == 0:
        log(f"the feed is not visible yet ({len(page['items'])} items): a transaction older than the seeded events "
            "still runs on the PostgreSQL server; waiting (up to 30 minutes)...")
    time.sleep(5)
else:
    raise SystemExit("the feed page after the middle cursor stayed short of 20 items for 30 minutes")
outlet_id, outlet_slug = psql("select id || ' ' || slug from outlets order by slug limit 1").split()

# The deep page: the cursor of page 1,000 of the staff list, by walking it.
first_path = "/api/v1/articles?limit=20"
deep_path, depth = first_path, 1
while depth < 1000:
    nxt = call("GET", deep_path, headers=staff)["next"]
    if not nxt:
        raise SystemExit(f"the staff list ends at page {depth}: the deep page needs more than 20,000 articles")
    deep_path, depth = f"{first_path}&cursor={nxt}", depth + 1

SEARCHES = ["monsoon", "refinery -cricket", '"trade story"', "vaccine", "cyclone"]
search_paths = [f"/api/v1/articles?q={urllib.parse.quote(q)}&limit=20" for q in SEARCHES]
# name, paths (in turn), headers; every one a read, paired with its SQL.
READS = [
    ("feed page of 20, middle of the feed", [feed_path], partner_key),
    ("one story", [story_path], partner_key),
    (f"Atom feed of `{outlet_slug}` (50 stories)", [f"/syndication/v1/feeds/{outlet_slug}.atom"], partner_key),
    ("admin list, status + outlet filters", [f"/api/v1/articles?status=published&outlet_id={outlet_id}&limit=20"], staff),
    ("admin full-text search, 5 queries in turn", search_paths, staff),
    ("admin list, first page", [first_path], staff),
    (f"admin list, page {depth:,} via cursor", [deep_path], staff),
]
FEED, STORY, SEARCH, FIRST, DEEP = READS[0][0], READS[1][0], READS[4][0], READS[5][0], READS[6][0]
# The peer harness's reads a, b, c; its hand-written SQL of each on its own data is the raw ceiling.
READS += peerreads.reads(call, psql)
peer_url = env.get("BENCH_PEER_DB_URL", "")
raw_sql = peerreads.ceiling(env.get("BENCH_PEERS"), peer_url)

# Warm every read (each pooled connection prepares its statements and looks its types up
# once), learn what the worker runs when idle, then capture each request between markers.
for _, paths, headers in READS:
    for _ in range(25):
        for p in paths:
            call("GET", p, headers=headers)
sqlcapture.mark(db_url, "quiet-start")
time.sleep(3)
sqlcapture.mark(db_url, "quiet")
# Twice each: a statement in one window only is the server's own background work (the
# partner-usage flush, a worker tick), not the request's.
for take in ("a", "b"):
    for i, (_, paths, headers) in enumerate(READS):
        for j, p in enumerate(paths):
            sqlcapture.mark(db_url, f"before-{i}-{j}-{take}")
            call("GET", p, headers=headers)
            sqlcapture.mark(db_url, f"read-{i}-{j}-{take}")
stop_server()
sqlcapture.disable(db_url, db)
captured = sqlcapture.windows(log_file, log_offset)
background = {sql for sql, _ in captured.get("quiet", [])}
sql_scripts = {}  # name -> ([script files], bindings, [script texts])
for i, (name, paths, _) in enumerate(READS):
    files, bindings, texts = [], {}, []
    for j in range(len(paths)):
        stmts = sqlcapture.request_statements(captured, f"read-{i}-{j}", background)
        text, b = sqlcapture.pgbench_script(stmts, f"s{i}{j}")
        files.append(f"{work}/read-{i}-{j}.sql")
        with open(files[-1], "w") as f:
            f.write(text)
        bindings.update(b)
        texts.append(text)
    sql_scripts[name] = (files, bindings, texts)
log("captured the SQL of every read request")

# --- Data of the write scenarios: drafts cloned from seeded ones (tagged `bench-write`, removed
# at the next run), each published once, PATCHed in turn; login users made by bench/run.
CLONE = """with base as (select a.* from articles a where a.status = 'draft' and not a.tags @> '{{bench-write}}' limit {k}),
src as (select b.*, gen_random_uuid() as new_id from base b, generate_series(1, {reps}) limit {k}),
ins as (insert into articles (id, outlet_id, slug, headline, standfirst, body, body_html, section_id, tags, language,
  status, version, created_by, created_at, updated_at)
  select new_id, outlet_id, 'bench-write-' || new_id, headline, standfirst, body, body_html, section_id,
  tags || '{{bench-write}}', language, 'draft', 1, created_by, now(), now() from src),
authors as (insert into article_authors (article_id, author_id, position)
  select s.new_id, x.author_id, x.position from src s join article_authors x on x.article_id = s.id)
select string_agg(new_id::text, ',') from src"""


# A draft comes round again only after PATCH_DRAFTS requests: ~10 s at 300/s, longer than the
# slowest PATCH, so no request overtakes the one before it on the same draft (that is a 412).
PATCH_DRAFTS = 3000


def drafts(k):
    ids = psql(CLONE.format(k=k, reps=k // 1000 + 1)).split(",")  # a seeded draft may be cloned more than once
    if len(ids) < k:
        raise SystemExit(f"only {len(ids)} seeded drafts to clone, {k} needed")
    return ids


DONE = """
local reported = false
response = function(status, headers, body)
  if status >= 300 and not reported then
    reported = true
    io.stderr:write("first non-2xx answer: " .. status .. " " .. string.sub(body, 1, 300) .. "\\n")
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %.3f %.3f %.3f\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def lua_table(headers):
    return "{" + ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items()) + "}"


def lua_file(name, body):
    path = f"{work}/{name}.lua"
    with open(path, "w") as f:
        f.write(body + DONE)
    return path


def reads_lua(i, paths, headers):
    items = ", ".join(f'"{p}"' for p in paths)
    return lua_file(f"read-{i}", f"""local paths = {{{items}}}
local reqs, n = {{}}, 0
init = function(args)
  for i, p in ipairs(paths) do reqs[i] = wrk.format("GET", p, {lua_table(headers)}) end
end
request = function() n = n % #reqs + 1; return reqs[n] end
""")


def patch_lua(ids):
    items = ", ".join(f'"{i}"' for i in ids)
    vers = psql("select string_agg(version::text, ',' order by ord) from unnest(array['" + "','".join(ids) +
                "']::uuid[]) with ordinality u(id, ord) join articles a on a.id = u.id")
    return lua_file("patch", f"""local ids, ver, n = {{{items}}}, {{{vers}}}, 0
request = function()
  n = n % #ids + 1
  local v = ver[n]
  ver[n] = v + 1
  local h = {lua_table(staff)}
  h["If-Match"] = '"' .. v .. '"'
  h["Content-Type"] = "application/json"
  return wrk.format("PATCH", "/api/v1/articles/" .. ids[n], h, '{{"standfirst": "Edit ' .. v .. '"}}')
end
""")


def publish_lua(ids):
    items = ", ".join(f'"{i}"' for i in ids)
    return lua_file("publish", f"""local ids, n = {{{items}}}, 0
request = function()
  n = n % #ids + 1  -- past the last draft, the answers are 409s, counted as non-2xx
  local h = {lua_table(staff)}
  h["If-Match"] = '"1"'
  return wrk.format("POST", "/api/v1/articles/" .. ids[n] .. "/actions/publish", h)
end
""")


def login_lua():
    return lua_file("login", f"""local n = 0
request = function()
  n = n % 200 + 1
  local body = '{{"email": "login' .. n .. '@bench.example", "password": "{password}"}}'
  return wrk.format("POST", "/api/v1/auth/login", {{["Content-Type"] = "application/json"}}, body)
end
""")


# --- The measurements, on a fresh server with normal logging.
start_server()
meter = CpuMeter(db_url, server.pid)
read_lua = {name: reads_lua(i, paths, headers) for i, (name, paths, headers) in enumerate(READS)}
patch_ids = drafts(PATCH_DRAFTS)
login_script = login_lua()
results = {}  # (scenario, kind) -> list per run of dicts


def server_memory():
    """VmHWM and VmRSS of the server, in MB."""
    with open(f"/proc/{server.pid}/status") as f:
        return {line.split(":")[0]: int(line.split()[1]) / 1024 for line in f if line.startswith(("VmHWM", "VmRSS"))}


def record(key, r):
    r.setdefault("load", os.getloadavg()[0])
    r["hwm"] = server_memory()["VmHWM"]  # after this measurement: which scenario raised the peak
    results.setdefault(key, []).append(r)
    log(f"{key[0]} / {key[1]}: {r['rate']:.0f}/s p50 {r['p50']:.2f} p99 {r['p99']:.2f} ms (load {r['load']:.1f})")


for name, *_ in READS:
    wrk(base, read_lua[name], conns, warmup)
    files, bindings, _ = sql_scripts[name]
    pgbench(db_url, work, files, bindings, conns, warmup)
    if name in raw_sql:
        pgbench(peer_url, work, [raw_sql[name]], {}, conns, warmup)
wrk(base, patch_lua(patch_ids), conns, warmup)
pub_rate = 100.0
for run in range(1, runs + 1):
    log(f"--- run {run} of {runs}")
    for name, *_ in READS:
        record((name, "http"), meter.measure(lambda: wrk(base, read_lua[name], conns, duration)))
        files, bindings, _ = sql_scripts[name]
        record((name, "sql"), meter.measure(lambda: pgbench(db_url, work, files, bindings, conns, duration)))
        if name in raw_sql:
            record((name, "raw"), meter.measure(lambda: pgbench(peer_url, work, [raw_sql[name]], {}, conns, duration)))
    record((SEARCH, "1 client"), meter.measure(lambda: wrk(base, read_lua[SEARCH], 1, duration)))
    record(("PATCH (If-Match)", "http"), meter.measure(lambda: wrk(base, patch_lua(patch_ids), conns, duration)))
    # Enough fresh drafts, each published once: three times what the fastest publish or PATCH
    # rate so far would use (a publish costs about what a PATCH does).
    pub_rate = max(pub_rate, results[("PATCH (If-Match)", "http")][-1]["rate"])
    ids = drafts(max(3000, int(pub_rate * duration * 3)))
    r = meter.measure(lambda: wrk(base, publish_lua(ids), conns, duration))
    pub_rate = max(pub_rate, r["rate"])
    record(("publish action", "http"), r)
    record(("login", "http"), meter.measure(lambda: wrk(base, login_script, conns, duration)))
    # Fixed rate: half the maximum this run measured, with oha's latency correction.
    for name in (FEED, STORY):
        rate = results[(name, "http")][-1]["rate"] / 2
        record((name, "fixed rate"), oha(env["OHA"], base + READS[[r[0] for r in READS].index(name)][1][0],
                                         READS[0][2], rate, conns, duration))
    # Login storm: the feed alone, then the feed while STORM_CONNECTIONS clients log in.
    record((FEED, "alone"), wrk(base, read_lua[FEED], conns, duration))
    storm = subprocess.Popen(["wrk", "-t1", f"-c{storm_conns}", f"-d{duration + 2}s", "--timeout", "10s", "-s",
                              login_script, base + "/"], stdout=subprocess.PIPE, text=True)
    time.sleep(1)
    record((FEED, "with login storm"), wrk(base, read_lua[FEED], conns, duration))
    record(("login storm", "http"), parse_wrk(storm.communicate()[0]))

rss = server_memory()
stop_server()

report.write(sys.stdout, dict(results=results, reads=READS, scripts=sql_scripts, runs=runs, duration=duration,
                              conns=conns, storm_conns=storm_conns, rss=rss, patch_drafts=PATCH_DRAFTS,
                              n=psql("select count(*) from articles"),
                              names=dict(feed=FEED, story=STORY, search=SEARCH, first=FIRST, deep=DEEP),
                              cursor=cursor, story_path=story_path, deep_depth=depth, searches=SEARCHES,
                              raw_sql=raw_sql))
