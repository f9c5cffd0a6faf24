#!/usr/bin/env python3
"""The rounds of `bench/run-peers` (which sets the environment and the data): in each round,
the peer harness's Directus (DIRECTUS=1), its raw-SQL ceiling (pgbench of its hand-written SQL
on directus_peer), then newsroom on the same three reads a, b, c and the partner change feed
with the same wrk flags, each also at half its maximum rate with oha for the p99. CHURN=1
publishes, corrects or kills a story every second while newsroom is measured (bench/churn.py).
a and c are measured in turn, in SLICES slices each, so that c / a compares them side by side.
With NR_NGINX (a path to nginx, set by run-peers unless FLOOR=0), each read's p99 at half rate has
a floor beside it: oha at the same rate against nginx serving the same answer's bytes as a
file, right after, so a stall of the machine shows in both.
AGAINST_DB_URL (set by run-peers from AGAINST) measures newsroom on a second database in the
same round, in alternating order, for the rate at ARTICLES against the rate at AGAINST.
Prints the Markdown report. Standard library only, plus wrk, oha and psql.
"""
import atexit
import base64
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from churn import Churn, Staff

env = os.environ
peers, nr_bin, db_url = env["PEERS"], env["NR_BIN"], env["NR_DB_URL"]
against_url = env.get("AGAINST_DB_URL")
rounds, duration, warmup = int(env.get("ROUNDS", "3")), int(env.get("DURATION", "20")), int(env.get("WARMUP", "5"))
threads, conns = int(env.get("THREADS", "2")), int(env.get("CONNS", "32"))
directus, churn_on = env.get("DIRECTUS") == "1", env.get("CHURN") == "1"
port = int(env.get("PORT", "18091"))
base = f"http://127.0.0.1:{port}"
work = tempfile.mkdtemp(prefix="newsroom-peers-")
READS = env.get("READS", "a b c feed").split()  # READS="b" measures b alone
feed_target = int(env.get("FEED_BYTES", "110000"))  # the feed page's bytes, within 1 % (feed_page_of)
# a and c in turn, this many slices of DURATION / SLICES seconds each (1: one after the other).
SLICES = int(env.get("SLICES", "4")) if {"a", "c"} <= set(READS) else 1
NAMES = {"a": "a: latest 20", "b": "b: one story whole, with authors", "c": "c: one outlet, page 201",
         "feed": "partner change feed, 20 whole stories"}
HARNESS = {"a": "a_latest20", "b": "b_by_id", "c": "c_deep_page"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def psql(sql, url=db_url):
    return subprocess.run(["psql", url, "-XAtqc", sql], check=True, capture_output=True, text=True).stdout.strip()


def to_ms(v):
    for unit, k in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if v.endswith(unit):
            return float(v[: -len(unit)]) * k
    return float("nan")


def wrk(args, secs):
    """wrk with the harness's flags; req/s, p50, p99 and the errors (non-2xx + socket)."""
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{secs}s", "--latency"] + args,
                         check=True, capture_output=True, text=True).stdout
    r = {"errors": 0}
    for line in out.splitlines():
        f = line.split()
        if line.startswith("Requests/sec:"):
            r["rate"] = float(f[1])
        elif f[:1] in (["50%"], ["99%"]):
            r["p" + f[0][:-1]] = to_ms(f[1])
        elif line.strip().startswith("Non-2xx"):
            r["errors"] += int(f[-1])
        elif line.strip().startswith("Socket errors:"):
            r["errors"] += sum(int(x.strip(",")) for x in f[3::2])
    if "rate" not in r:
        raise SystemExit("wrk printed no rate:\n" + out)
    return r


def oha(url, headers, rate, secs, urls_file=None):
    """Open loop at `rate`/s with latency correction: the p99 at a steady load."""
    cmd = [env["OHA"], "-z", f"{secs}s", "-c", str(conns), "-q", f"{max(rate, 1):.0f}", "--latency-correction",
           "--no-tui", "--output-format", "json"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd += ["--urls-from-file", urls_file] if urls_file else [url]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    codes = out.get("statusCodeDistribution", {})
    bad = sum(v for k, v in codes.items() if not k.startswith("2"))
    bad += sum(v for k, v in (out.get("errorDistribution") or {}).items() if "deadline" not in k)
    return {"rate": out["summary"]["requestsPerSec"], "p99": out["latencyPercentiles"]["p99"] * 1000,
            "errors": bad}


def harness(script, extra):
    """A harness script's result lines: {name: [fields]}."""
    done = subprocess.run([f"{peers}/{script}"], env=dict(env, **extra), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{script} failed:\n{done.stdout}\n{done.stderr}")
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()
            if line and not line.startswith(("#", "name"))}


def raw_ceiling():
    rows = harness("raw-sql/run.sh", {"DURATION": str(duration), "WARMUP": str(warmup)})
    return {k: float(rows[v][0]) for k, v in HARNESS.items()}


def directus_round():
    subprocess.run([f"{peers}/directus/start.sh"], check=True, stdout=subprocess.DEVNULL)
    try:
        rows = harness("directus/run.sh", {"AUTH": "public", "DURATION": str(duration), "WARMUP": str(warmup),
                                           "THREADS": str(threads), "CONNS": str(conns)})
    finally:
        subprocess.run([f"{peers}/directus/stop.sh"], check=True, stdout=subprocess.DEVNULL)
    return {k: {"rate": float(rows[f"{v}[public]"][0]), "p99": float(rows[f"{v}[public]"][2]),
                "rss": int(rows[f"{v}[public]"][4])} for k, v in HARNESS.items()}


def start_floor():
    """nginx on PORT + 1 serving `work`/floor, or None without NR_NGINX."""
    if not env.get("NR_NGINX"):
        return None
    os.makedirs(f"{work}/floor", exist_ok=True)
    for d in (work, f"{work}/floor"):  # nginx's workers run as nobody when started as root
        os.chmod(d, 0o755)
    with open(f"{work}/nginx.conf", "w") as f:
        f.write(f"worker_processes 2;\npid {work}/nginx.pid;\nerror_log {work}/nginx.log;\n"
                "events { worker_connections 1024; }\n"
                f"http {{ access_log off; client_body_temp_path {work}/nginx-body; server {{ listen 127.0.0.1:{port + 1}; root {work}/floor; "
                "location / { default_type application/json; } } }\n")
    subprocess.run([env["NR_NGINX"], "-c", f"{work}/nginx.conf"], check=True)
    atexit.register(lambda: subprocess.run([env["NR_NGINX"], "-c", f"{work}/nginx.conf", "-s", "stop"]))
    return f"http://127.0.0.1:{port + 1}"


def first_line(path):
    """The first line of the file at `path`, without its end."""
    with open(path) as f:
        return f.readline().strip()


def floor_p99(anon, read, path, headers, rate):
    """oha at `rate` against nginx serving the bytes newsroom answers to `path`: the machine's
    own p99 at that rate, right then."""
    body = anon.raw(path, headers)
    with open(f"{work}/floor/{read}.json", "wb") as f:
        f.write(body)
    return oha(f"{floor}/{read}.json", {}, rate, duration)["p99"]


def start_server(url):
    server_env = dict(env, DATABASE_URL=url, NEWSROOM_ADDR=f"127.0.0.1:{port}", NEWSROOM_PUBLIC_URL=base,
                      NEWSROOM_LOG="json", RUST_LOG="warn", NEWSROOM_DATA_DIR=f"{work}/data",
                      NEWSROOM_PUBLIC_RATE="10000000", NEWSROOM_PUBLIC_BURST="10000000",
                      NEWSROOM_PARTNER_RATE="10000000", NEWSROOM_PARTNER_BURST="10000000")
    with open(env.get("NR_LOG", f"{work}/server.log"), "a") as out:
        server = subprocess.Popen([nr_bin, "serve"], env=server_env, stdout=out, stderr=out)
    for _ in range(300):
        try:
            Staff(base).get("/health/ready")
            return server
        except (OSError, SystemExit):
            if server.poll() is not None:
                break
            time.sleep(0.2)
    raise SystemExit("the server did not start; see its log")


def targets(staff, psql):
    """The four reads: wrk arguments, oha URL (or URL file) and headers, as the harness finds them."""
    found = staff.get("/api/v1/partners?q=Peers%20bench")["items"]
    partner = found[0]["id"] if found else staff.post("/api/v1/partners", {"name": "Peers bench"})["id"]
    key = {"X-Api-Key": staff.post(f"/api/v1/partners/{partner}/keys", {})["key"]}
    # b: 20,000 published, visible stories in a fixed random order, their slugs percent-encoded.
    rows = psql("select o.slug || ' ' || a.slug from articles a join outlets o on o.id = a.outlet_id "
                "where a.status = 'published' and (a.embargo_until is null or a.embargo_until <= now()) "
                "and not a.tags @> '{bench-churn}' order by md5(a.id::text) limit 20000").splitlines()
    paths = [urllib.parse.quote(f"/public/v1/outlets/{o}/articles/{s}") for o, s in (r.split(" ", 1) for r in rows)]
    with open(f"{work}/b.paths", "w") as f:
        f.write("\n".join(paths) + "\n")
    with open(f"{work}/b.urls", "w") as f:
        f.write("\n".join(base + p for p in paths) + "\n")
    with open(f"{work}/paths.lua", "w") as f:
        # Each wrk thread starts at its own share of the list. Started together, the threads
        # asked for the same story at the same moment, and the second was often answered from
        # the first's kept answer: b's maximum read about 1.5x too high (2026-12-07).
        f.write("local paths = {}\nlocal threads = 0\n"
                "setup = function(thread) threads = threads + 1; thread:set(\"id\", threads) end\n"
                "init = function(args) for l in io.lines(args[1]) do paths[#paths + 1] = l end\n"
                f"  i = (id - 1) * math.floor(#paths / {threads}) end\n"
                "request = function() i = i % #paths + 1; return wrk.format(\"GET\", paths[i]) end\n")
    # c: the cursor of page 201 of the third outlet (the harness's outlet_id = 3), by walking it.
    anon = Staff(base)
    outlets = anon.get("/public/v1/outlets")
    outlets = outlets.get("items", outlets) if isinstance(outlets, dict) else outlets
    outlet, cursor = outlets[min(2, len(outlets) - 1)]["slug"], None
    for _ in range(200):
        cursor = anon.get(f"/public/v1/articles?outlet={outlet}&limit=20" + (f"&cursor={cursor}" if cursor else ""))["next"]
    c_path = f"/public/v1/articles?outlet={outlet}&limit=20&cursor={cursor}"
    # feed: the cursor of the middle event by (txid, id), as bench/measure.py takes it.
    events = int(psql("select count(*) from outbox_events"))
    txid, event = psql(f"select txid::text || ' ' || id from outbox_events order by txid, id "
                       f"offset {events // 2} limit 1").split()
    since = base64.urlsafe_b64encode(json.dumps([int(txid), event]).encode()).decode().rstrip("=")
    feed_path = f"/syndication/v1/articles?since={since}&limit=20"
    for _ in range(60):  # seeded events show once no older transaction is open on the server
        if len(anon.get(feed_path, key)["items"]) == 20:
            break
        time.sleep(5)
    else:
        raise SystemExit("the feed page after the middle cursor stayed short of 20 items")
    feed_path, feed_bytes = feed_page_of(anon, key, feed_path)
    hdr = lambda h: [a for k, v in h.items() for a in ("-H", f"{k}: {v}")]
    return feed_bytes, {"a": ([base + "/public/v1/articles?limit=20"], base + "/public/v1/articles?limit=20", {}, None),
            "b": (["-s", f"{work}/paths.lua", base, "--", f"{work}/b.paths"], None, {}, f"{work}/b.urls"),
            "c": ([base + c_path], base + c_path, {}, None),
            "feed": (hdr(key) + [base + feed_path], base + feed_path, key, None)}


def feed_page_of(anon, key, path):
    """The first full feed page from `path` on whose bytes are within 1 % of FEED_BYTES, and its
    bytes: a kept page costs the server in proportion to its bytes, and the seed's bodies are
    random (the page after the middle event was 9 % larger at a million than at 100,000 on
    2026-12-07), so the two sizes are compared on pages of the same bytes. The closest page
    seen if none is within 1 % in 500 pages; FEED_BYTES=0 keeps the page after the middle event."""
    best = None
    for _ in range(500 if feed_target else 1):
        body = anon.raw(path, key)
        page = json.loads(body)
        if len(page["items"]) < 20:
            break
        if best is None or abs(len(body) - feed_target) < abs(best[1] - feed_target):
            best = (path, len(body))
        if not feed_target or abs(len(body) - feed_target) <= feed_target / 100:
            break
        path = path.split("?")[0] + f"?since={page['next']}&limit=20"
    return best


def in_turn(t):
    """a and c measured in turn, SLICES slices each after a warm-up of both: each read's rate is
    the mean of its slices (equal times), its p50 the median, its p99 the highest; `pairs` is
    c / a of each slice's pair."""
    secs = max(1, duration // SLICES)
    for read in ("a", "c"):
        wrk(t[read][0], warmup)
    runs = {"a": [], "c": []}
    for _ in range(SLICES):
        for read in ("a", "c"):
            runs[read].append(wrk(t[read][0], secs))
    out = {read: {"rate": statistics.mean(r["rate"] for r in rs), "p50": statistics.median(r["p50"] for r in rs),
                  "p99": max(r["p99"] for r in rs), "errors": sum(r["errors"] for r in rs)}
           for read, rs in runs.items()}
    out["c"]["pairs"] = [c["rate"] / a["rate"] for a, c in zip(runs["a"], runs["c"])]
    return out


def newsroom_round(url):
    server = start_server(url)
    churn = None
    sql = functools.partial(psql, url=url)
    try:
        staff = Staff(base).login(env["NR_EMAIL"], env["NR_PASSWORD"])
        Churn.clean(sql)
        embargoed = int(sql("select count(*) from articles where status = 'published' and embargo_until > now()"))
        feed_bytes, t = targets(staff, sql)
        if churn_on:
            churn = Churn(Staff(base).login(env["NR_EMAIL"], env["NR_PASSWORD"]), sql)
            churn.start()
        out = in_turn(t) if SLICES > 1 else {}
        for read in READS:
            args, one_url, headers, urls = t[read]
            if read not in out:
                wrk(args, warmup)
                out[read] = wrk(args, duration)
            r = out[read]
            half = oha(one_url, headers, r["rate"] / 2, duration, urls)
            r.update(half_p99=half["p99"], half_rate=half["rate"], errors=r["errors"] + half["errors"])
            if floor and url == db_url:
                first = one_url or first_line(urls)
                r["floor_p99"] = floor_p99(Staff(base), read, first[len(base):], headers, r["rate"] / 2)
            log(f"  newsroom {read}: {r['rate']:.0f}/s p50 {r['p50']:.2f} p99 {r['p99']:.2f} ms; "
                f"at {half['rate']:.0f}/s p99 {half['p99']:.2f} ms (nginx {r.get('floor_p99', float('nan')):.2f})")
        with open(f"/proc/{server.pid}/status") as f:
            hwm = next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM"))
        return out, {"rss": hwm, "embargoed": embargoed, "feed_bytes": feed_bytes,
                     "churn": churn.stop() if churn else None}
    finally:
        if churn and churn.is_alive():
            churn.stop()
        server.terminate()
        server.wait(timeout=30)


floor = start_floor()
results = []  # per round: {"raw": …, "directus": …, "newsroom": …, "meta": …}
for n in range(1, rounds + 1):
    log(f"--- round {n} of {rounds}")
    r = {"load": os.getloadavg()[0]}
    if directus:
        r["directus"] = directus_round()
        log("  directus: " + ", ".join(f"{k} {v['rate']:.0f}/s" for k, v in r["directus"].items()))
    r["raw"] = raw_ceiling()
    log("  raw SQL: " + ", ".join(f"{k} {v:.0f} tps" for k, v in r["raw"].items()))
    # With AGAINST, the two databases in alternating order: neither is always measured first.
    order = [("newsroom", db_url), ("against", against_url)] if against_url else [("newsroom", db_url)]
    for part, url in order[:: 1 if n % 2 else -1]:
        log(f"  {part}: {url.rsplit('/', 1)[1]}")
        r[part], meta = newsroom_round(url)
        r["meta" if part == "newsroom" else "against_meta"] = meta
    results.append(r)

import peers_report  # noqa: E402  (after the rounds: a report bug cannot cost a run)

peers_report.write(sys.stdout, results, dict(names=NAMES, reads=READS, rounds=rounds, duration=duration,
                                             warmup=warmup, threads=threads, conns=conns, directus=directus,
                                             churn=churn_on, articles=env.get("ARTICLES"),
                                             embargoed=env.get("EMBARGOED"), db=db_url.rsplit("/", 1)[1],
                                             slices=SLICES, against=env.get("AGAINST"),
                                             against_db=against_url.rsplit("/", 1)[1] if against_url else None))
