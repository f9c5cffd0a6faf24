#!/usr/bin/env python3
"""Throughput of the syndication API beside the raw SQL of the same requests, in one run.

Makes a partner and an API key through the admin API, walks the change feed to its middle,
then, RUNS times over, measures with wrk (HTTP) and pgbench -M prepared (the exact SQL the
server runs per request, taken from the source) each scenario. Prints a Markdown report.
Standard library only, plus the wrk and pgbench commands.
Usage: SERVER_PID=<pid of newsroom serve> bench/syndication.py http://127.0.0.1:18081 postgres://…/db admin@… 'password'
(run by bench/run-syndication; without SERVER_PID there is no CPU table)
"""
import atexit
import base64
import http.client
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timezone

base, db_url, email, password = sys.argv[1:5]
runs = int(os.environ.get("RUNS", "3"))
duration = int(os.environ.get("DURATION", "20"))
warmup = int(os.environ.get("WARMUP", "3"))
conns = int(os.environ.get("CONNECTIONS", "8"))
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
work = tempfile.mkdtemp(prefix="newsroom-synd-bench-")
atexit.register(shutil.rmtree, work, ignore_errors=True)


def call(method, path, body=None, headers=None):
    h = {"content-type": "application/json"} if body is not None else {}
    h.update(headers or {})
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    res = conn.getresponse()
    data = res.read()
    if res.status >= 400:
        raise SystemExit(f"{method} {path} -> {res.status}: {data[:300]!r}")
    return json.loads(data) if data else None


def psql(sql):
    return subprocess.run(["psql", db_url, "-XAtqc", sql], check=True, capture_output=True, text=True).stdout.strip()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- The partner and its key, through the admin API (a fresh key each run: keys are shown once).
token = call("POST", "/api/v1/auth/login", {"email": email, "password": password})["token"]
staff = {"authorization": "Bearer " + token}
found = call("GET", "/api/v1/partners?q=Syndication%20bench", headers=staff)["items"]
partner = found[0]["id"] if found else call("POST", "/api/v1/partners", {"name": "Syndication bench"}, staff)["id"]
key = call("POST", f"/api/v1/partners/{partner}/keys", {}, staff)["key"]
partner_hdr = {"x-api-key": key}

# --- A cursor in the middle of the feed, by walking it 100 events a page (the most a page holds).
total = int(psql("select count(*) from outbox_events"))
cursor, seen = None, 0
while seen < total // 2:
    page = call("GET", "/syndication/v1/articles?limit=100" + (f"&since={cursor}" if cursor else ""), headers=partner_hdr)
    if not page["items"]:
        raise SystemExit("the feed ended before its middle")
    seen += len(page["items"])
    cursor = page["next"]
page = call("GET", f"/syndication/v1/articles?since={cursor}&limit=20", headers=partner_hdr)
assert len(page["items"]) == 20, "the middle page has fewer than 20 items"
since_tx, since_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
page_ids = [item["story"]["altids"]["newsroom"] for item in page["items"]]
one_id = page_ids[0]
rotating = psql("select string_agg(id::text, ',' order by slug) from (select id, slug from articles "
                "where status = 'published' and slug like 'story-%' order by md5(slug) limit 1000) s").split(",")
log(f"events {total}, cursor after {seen} events: {cursor} = ({since_tx}, {since_id}); {len(rotating)} rotating ids")

# --- The SQL of each request, from the source, so this stays the query the server runs.


def rust_sql(path, fn):
    src = open(path).read()
    body = src[src.index(f"async fn {fn}("):]
    m = re.search(r'r#"(.*?)"#|"((?:[^"\\]|\\.)*)"', body, re.S)
    return (m.group(1) or m.group(2)).strip()


def story_sql(fn):
    """The story queries are `format!("{STORY} where …")` over the `STORY` constant."""
    src = open("src/syndication/store.rs").read()
    select = re.search(r'const STORY: &str = r#"(.*?)"#', src, re.S).group(1).strip()
    body = src[src.index(f"async fn {fn}("):]
    return select + re.search(r'format!\("\{STORY\}(.*?)"\)', body).group(1)


# The types sqlx binds each value with. pgbench sends untyped parameters, one per occurrence
# of a variable, so each gets a cast to the type the server gives it.
TYPES = {"key_hash": "bytea", "now": "timestamptz", "key_id": "uuid", "since_tx": "text", "since_id": "uuid",
         "outlets": "uuid[]", "sections": "uuid[]", "limit": "int8", "ids": "uuid[]", "id": "uuid"}


def params(sql, names):
    """`$n` becomes pgbench's `:name::type`; colons inside literals are written as `\\072`."""
    sql = sql.replace("'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'", "E'YYYY-MM-DD\"T\"HH24\\072MI\\072SS\"Z\"'")
    if re.search(r"'[^']*:[A-Za-z_][^']*'", sql):
        raise SystemExit("a colon in a literal would be taken as a pgbench variable:\n" + sql)
    def var(m):
        name = names[int(m.group(1)) - 1]
        return f":{name}" if m.group(2) else f":{name}::{TYPES[name]}"  # the SQL's own cast wins
    return re.sub(r"\$(\d+)(::)?", lambda m: var(m) + (m.group(2) or ""), sql)


def one_line(sql):
    return " ".join(sql.split()) + ";\n"  # pgbench: one SQL command per line


# The key check: one statement that finds the key and records its use.
lookup = one_line(params(rust_sql("src/auth/partner.rs", "lookup"), ["key_hash", "now"]))
events = one_line(params(rust_sql("src/syndication/store.rs", "events"),
                         ["since_tx", "since_id", "outlets", "sections", "limit"]))
stories = one_line(params(story_sql("stories"), ["ids"]))
story = one_line(params(story_sql("story_by_id"), ["id"]))
pick = ("select (array['" + "','".join(rotating) + "'])[:i] as id \\gset\n")
scripts = {
    "feed-full": lookup + events + stories,
    "feed-data": events + stories,
    "story-full": lookup + story,
    "story-data": story,
    "rotate-full": "\\set i random(1, " + str(len(rotating)) + ")\n" + pick + lookup + story,
    "rotate-data": "\\set i random(1, " + str(len(rotating)) + ")\n" + pick + story,
}
for name, text in scripts.items():
    with open(f"{work}/{name}.sql", "w") as f:
        f.write(text)
key_hash = "\\x" + psql(f"select encode(key_hash, 'hex') from api_keys where prefix = '{key[:14]}' "
                         "order by created_at desc limit 1")
key_id = psql(f"select id from api_keys where prefix = '{key[:14]}' order by created_at desc limit 1")
now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
bindings = {"key_hash": key_hash, "now": now, "key_id": key_id, "since_tx": str(since_tx), "since_id": since_id,
            "outlets": "{}", "sections": "{}", "limit": "21"}

# --- The measurements.
with open(f"{work}/rotate.lua", "w") as f:
    f.write("local ids = {" + ",".join(f'"{i}"' for i in rotating) + "}\nlocal n = 0\n"
            "request = function()\n  n = n % #ids + 1\n"
            "  return wrk.format(\"GET\", \"/syndication/v1/articles/\" .. ids[n])\nend\n")

scenarios = [
    ("feed page of 20, middle of the feed", f"/syndication/v1/articles?since={cursor}&limit=20", None, "feed",
     {"ids": "{" + ",".join(page_ids) + "}"}),
    ("one story, fixed id", f"/syndication/v1/articles/{one_id}", None, "story", {"id": one_id}),
    (f"one story, {len(rotating)} ids in turn", "/syndication/v1/articles/x", f"{work}/rotate.lua", "rotate", {}),
]

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)]


# CPU seconds, to tell what each side costs apart from how the shared cores were divided: the
# server process, PostgreSQL (the server's pooled backends, plus every backend that exited, as
# the postmaster's reaped children: pgbench's), and the load generator (this script's children).
server_pid = os.environ.get("SERVER_PID")
try:
    pg_pid = open(psql("show data_directory") + "/postmaster.pid").readline().strip()
except OSError:
    pg_pid = None
TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid, children=False):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(f[13]) + int(f[14]) if children else int(f[11]) + int(f[12])) / TICK


def cpu_snapshot(backends):
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (kids.ru_utime + kids.ru_stime, proc_cpu(server_pid) if server_pid else 0.0,
            sum(proc_cpu(b) for b in backends) + (proc_cpu(pg_pid, children=True) if pg_pid else 0.0))


def with_cpu(measure, requests_of):
    """Runs `measure`; adds CPU ms per request of the client, the server and PostgreSQL."""
    # The server's backends at the start and at the end: a backend that exits in between is
    # counted through the postmaster's children, one that starts in between from zero.
    backends = lambda: psql("select string_agg(pid::text, ' ') from pg_stat_activity "
                            "where datname = current_database() and application_name = 'newsroom'").split()
    before = cpu_snapshot(backends())
    out = measure()
    time.sleep(0.5)  # the backends of pgbench's connections exit and are reaped
    after = cpu_snapshot(backends())
    n = requests_of(out)
    return out[:3] + tuple((b - a) * 1000 / n for a, b in zip(before, after))


timeouts = []  # requests wrk gave up on


def wrk(path, lua, secs):
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "--latency", "-H", f"X-Api-Key: {key}"]
    cmd += (["-s", lua] if lua else []) + [base + path]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if "Non-2xx" in out or (errors and errors.group(1, 2, 3) != ("0", "0", "0")):
        raise SystemExit("wrk saw errors:\n" + out)
    if errors:  # a request slower than 10 s: not in the percentiles, so say so
        log(f"wrk: {errors.group(4)} requests timed out (10 s):\n{out}")
        timeouts.append(int(errors.group(4)))
    return (float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            ms(re.search(r"\s50%\s+(\S+)", out).group(1)), ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            int(re.search(r"(\d+) requests in", out).group(1)))


def pgbench(script, extra, secs):
    prefix = f"{work}/log-{script}"
    for old in os.listdir(work):
        if old.startswith(f"log-{script}"):
            os.remove(f"{work}/{old}")
    cmd = ["pgbench", "-n", "-M", "prepared", f"-c{conns}", "-j1", f"-T{secs}", "-f", f"{work}/{script}.sql",
           "-l", f"--log-prefix={prefix}"]
    for k, v in {**bindings, **extra}.items():
        cmd += ["-D", f"{k}={v}"]
    done = subprocess.run(cmd + [db_url], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pgbench failed: {' '.join(cmd)}\n{done.stderr}")
    out = done.stdout
    failed = re.search(r"number of failed transactions: (\d+)", out)
    if failed and failed.group(1) != "0":
        raise SystemExit("pgbench saw failures:\n" + out)
    lat = sorted(int(line.split()[2]) / 1000 for name in os.listdir(work) if name.startswith(f"log-{script}")
                 for line in open(f"{work}/{name}"))
    pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]
    return float(re.search(r"tps = ([\d.]+)", out).group(1)), pct(50), pct(99), len(lat)


def fmt(r):
    return f"{r[0]:.0f}, {r[1]:.2f}, {r[2]:.2f} (load {r[6]:.1f})"


results = {}  # (scenario, kind) -> per run: (rate, p50, p99, CPU ms/request of client, server, PostgreSQL, load)
for name, path, lua, script, extra in scenarios:
    log(f"warm-up: {name}")
    wrk(path, lua, warmup)
    pgbench(f"{script}-full", extra, warmup)
for run in range(1, runs + 1):
    for name, path, lua, script, extra in scenarios:
        for kind, measure in (("http", lambda: wrk(path, lua, duration)),
                              ("sql", lambda: pgbench(f"{script}-full", extra, duration)),
                              ("data", lambda: pgbench(f"{script}-data", extra, duration))):
            r = with_cpu(measure, lambda out: out[3]) + (os.getloadavg()[0],)
            results.setdefault((name, kind), []).append(r)
            log(f"run {run}, {name}, {kind}: {fmt(r)}")

med = lambda xs: statistics.median(xs)
print(f"Medians of {runs} runs, each scenario measured by wrk, then pgbench (every statement of the request), "
      f"then pgbench (data queries only), {duration} s each, {conns} connections.\n")
print("| scenario | HTTP req/s | HTTP p50 ms | HTTP p99 ms | SQL tps | SQL p50 ms | SQL p99 ms "
      "| ratio HTTP/SQL | target ≥ 0.5 met? | data-only SQL tps | ratio HTTP/data-only |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for name, *_ in scenarios:
    h, s, d = results[(name, "http")], results[(name, "sql")], results[(name, "data")]
    ratio = med([a[0] / b[0] for a, b in zip(h, s)])
    ratio_d = med([a[0] / b[0] for a, b in zip(h, d)])
    print(f"| {name} | {med([x[0] for x in h]):.0f} | {med([x[1] for x in h]):.2f} | {med([x[2] for x in h]):.2f} "
          f"| {med([x[0] for x in s]):.0f} | {med([x[1] for x in s]):.2f} | {med([x[2] for x in s]):.2f} "
          f"| {ratio:.2f} | {'yes' if ratio >= 0.5 else 'no'} | {med([x[0] for x in d]):.0f} | {ratio_d:.2f} |")
print("\nThe ratio is the median of the per-run ratios (each run pairs HTTP and SQL measured minutes apart).\n")
if timeouts:
    print(f"**wrk gave up on {sum(timeouts)} requests after 10 s** ({len(timeouts)} measurements); "
          "they are not in the percentiles.\n")
if server_pid and pg_pid:
    print("CPU time per request (ms, medians of the runs): of the load generator (wrk or pgbench), the server, and "
          "PostgreSQL. Unlike the rates, it does not depend on how the two cores were shared out. "
          "`CPU ratio` = SQL total / HTTP total: what the ratio of rates would be with the cores to ourselves.\n")
    print("| scenario | HTTP: wrk | HTTP: server | HTTP: PostgreSQL | HTTP total | SQL: pgbench | SQL: PostgreSQL "
          "| SQL total | CPU ratio | data-only SQL total |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, *_ in scenarios:
        h, s, d = results[(name, "http")], results[(name, "sql")], results[(name, "data")]
        tot = lambda rows: med([x[3] + x[4] + x[5] for x in rows])
        print(f"| {name} | {med([x[3] for x in h]):.2f} | {med([x[4] for x in h]):.2f} | {med([x[5] for x in h]):.2f} "
              f"| {tot(h):.2f} | {med([x[3] for x in s]):.2f} | {med([x[5] for x in s]):.2f} | {tot(s):.2f} "
              f"| {med([(b[3] + b[5]) / (a[3] + a[4] + a[5]) for a, b in zip(h, s)]):.2f} | {tot(d):.2f} |")
    print()
print("### Every run\n")
print("Each cell: requests or transactions per second, p50 ms, p99 ms, and the 1-minute load average of the "
      "machine when the measurement ended (with two cores, above 2 means other work was competing).\n")
print("| run | scenario | HTTP | SQL | data-only SQL |")
print("|---|---|---|---|---|")
for i in range(runs):
    for name, *_ in scenarios:
        print(f"| {i + 1} | {name} | {fmt(results[(name, 'http')][i])} | {fmt(results[(name, 'sql')][i])} "
              f"| {fmt(results[(name, 'data')][i])} |")
print("\n### What was measured\n")
print(f"- feed cursor: `{cursor}` = txid {since_tx}, event id {since_id} (after {seen} of {total} events)")
print(f"- fixed story: `{one_id}`")
print(f"- wrk: `wrk -t1 -c{conns} -d{duration}s --timeout 10s --latency -H 'X-Api-Key: …' <url>` "
      "(the rotating scenario adds `-s rotate.lua`, a round robin over the ids)")
print(f"- pgbench: `pgbench -n -M prepared -c{conns} -j1 -T{duration} -f <script> -l -D key_hash=… -D now={now} …`; "
      "p50/p99 from its per-transaction log\n")
for name, text in scripts.items():
    shown = text if not name.startswith("rotate") else text.replace(pick, "select '{' || (array[…1000 ids…])[:i] || '}' as ids \\gset\n")
    print(f"`{name}.sql`:\n\n```sql\n{shown}```\n")
