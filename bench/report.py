"""The Markdown report of bench/measure.py: summary tables (medians of the runs), the targets
of the performance issue with met / missed and by how much, every run, and the commands."""
import statistics

med = statistics.median


def _col(rows, key):
    return med([r[key] for r in rows])


def _ratio(a_rows, b_rows, key="rate"):
    """The median of the per-run ratios: each run pairs measurements taken minutes apart."""
    return med([a[key] / b[key] for a, b in zip(a_rows, b_rows)])


def _cpu_total(rows):
    if rows[0].get("cpu_pg") is None:
        return None
    return med([r["cpu_client"] + r["cpu_server"] + r["cpu_pg"] for r in rows])


def _f(x, digits=2):
    return "n/a" if x is None else f"{x:.{digits}f}"


def write(out, d):
    res, names, n = d["results"], d["names"], int(d["n"])
    p = lambda *a: print(*a, file=out)
    p(f"\nMedians of {d['runs']} runs; each measurement {d['duration']} s; wrk `-t1 -c{d['conns']}`, pgbench "
      f"`-M prepared -c{d['conns']} -j1` on the SQL the server ran for the same request (captured from PostgreSQL's log).\n")
    p("## Reads: HTTP beside its SQL\n")
    p("| scenario | HTTP req/s | p50 ms | p99 ms | SQL tps | SQL p50 ms | SQL p99 ms | ratio HTTP/SQL "
      "| CPU ms/req HTTP (wrk + server + PostgreSQL) | CPU ms/req SQL (pgbench + PostgreSQL) | CPU ratio SQL/HTTP "
      "| raw ceiling tps (peer SQL) | ratio HTTP/raw |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    raw_col = lambda name: (f"{_col(res[(name, 'raw')], 'rate'):.0f} | {_ratio(res[(name, 'http')], res[(name, 'raw')]):.3f}"
                            if (name, "raw") in res else "n/a | n/a")
    for name, *_ in d["reads"]:
        h, s = res[(name, "http")], res[(name, "sql")]
        ch, cs = _cpu_total(h), _cpu_total(s)
        cpu_ratio = None if ch is None else med([(b["cpu_client"] + b["cpu_pg"]) / (a["cpu_client"] + a["cpu_server"] + a["cpu_pg"])
                                                 for a, b in zip(h, s)])
        p(f"| {name} | {_col(h, 'rate'):.0f} | {_col(h, 'p50'):.2f} | {_col(h, 'p99'):.2f} | {_col(s, 'rate'):.0f} "
          f"| {_col(s, 'p50'):.2f} | {_col(s, 'p99'):.2f} | {_ratio(h, s):.2f} | {_f(ch)} | {_f(cs)} | {_f(cpu_ratio)} "
          f"| {raw_col(name)} |")
    p("\nratio HTTP/SQL: newsroom's HTTP rate over pgbench of the SQL it ran for the same request (its own SQL). "
      "ratio HTTP/raw, for the peer harness's reads a, b, c: over pgbench of the harness's hand-written SQL "
      "(`raw-sql/*.sql`) on the harness's own data (`directus_peer`, 100,000 articles), in the same run"
      + ("" if d.get("raw_sql") else " (not measured: no harness, see BENCH_PEERS in bench/run)") + ".")
    p("\n## Other scenarios (HTTP only)\n")
    p("| scenario | how | req/s | p50 ms | p95 ms | p99 ms |")
    p("|---|---|---|---|---|---|")
    others = [(names["search"], "1 client", f"wrk -c1"),
              ("PATCH (If-Match)", "http", f"wrk -c{d['conns']}, {d['patch_drafts']:,} drafts in turn"),
              ("publish action", "http", f"wrk -c{d['conns']}, each a fresh draft"),
              ("login", "http", f"wrk -c{d['conns']}, 200 accounts in turn"),
              (names["feed"], "fixed rate", "oha, half the run's wrk rate, latency-corrected"),
              (names["story"], "fixed rate", "oha, half the run's wrk rate, latency-corrected"),
              (names["feed"], "alone", f"wrk -c{d['conns']}, just before the storm"),
              (names["feed"], "with login storm", f"wrk -c{d['conns']} while {d['storm_conns']} clients log in"),
              ("login storm", "http", f"wrk -c{d['storm_conns']}, beside the feed")]
    for name, kind, how in others:
        rows = res[(name, kind)]
        rate = f"{_col(rows, 'rate'):.0f}" + (f" (asked {_col(rows, 'target'):.0f})" if kind == "fixed rate" else "")
        p(f"| {name} | {how} | {rate} | {_col(rows, 'p50'):.2f} | {_col(rows, 'p95'):.2f} | {_col(rows, 'p99'):.2f} |")
    deep = _ratio(res[(names["deep"], "http")], res[(names["first"], "http")], "p50")
    storm = _ratio(res[(names["feed"], "with login storm")], res[(names["feed"], "alone")], "p99")
    rss = d["rss"]
    p(f"\n- deep page / first page, HTTP p50 (median of per-run ratios): **{deep:.2f}**; "
      f"SQL p50: {_ratio(res[(names['deep'], 'sql')], res[(names['first'], 'sql')], 'p50'):.2f}")
    p(f"- feed p99 with the login storm / alone (median of per-run ratios): **{storm:.2f}**")
    p(f"- server memory at the end: VmHWM (peak RSS) **{rss.get('VmHWM', 0):.1f} MB**, VmRSS {rss.get('VmRSS', 0):.1f} MB")
    bad = {f"{name} ({kind})": sum(r.get("errors", 0) for r in rows) for (name, kind), rows in res.items()}
    if any(bad.values()):
        p("- **non-2xx answers** (in the rates and percentiles; the first of each measurement is in the run's "
          "stderr): " + ", ".join(f"{k}: {v}" for k, v in bad.items() if v))
    if any(r.get("timeouts") for rows in res.values() for r in rows):
        p("- **wrk gave up on some requests after 10 s**; they are not in the percentiles (see every run)")

    p("\n## Targets\n")
    p("| target | measured | met? | margin |")
    p("|---|---|---|---|")

    def target(label, value, limit, higher_is_better, unit="", note=""):
        met = value >= limit if higher_is_better else value <= limit
        margin = (value / limit - 1) * 100
        p(f"| {label} | {value:.2f}{unit}{note} | {'met' if met else '**missed**'} | {margin:+.0f}% of the limit |")

    for name in (names["feed"], names["story"]):
        target(f"{name}: HTTP ≥ 0.5× SQL rate", _ratio(res[(name, 'http')], res[(name, 'sql')]), 0.5, True, "×")
    for name in (names["feed"], names["story"]):
        target(f"{name}: p99 ≤ 10 ms at half the maximum rate", _col(res[(name, 'fixed rate')], "p99"), 10, False, " ms")
    target("deep page ≤ 1.3× first page (p50)", deep, 1.3, False, "×")
    note = "" if n >= 1_000_000 else f" (at {n:,} articles; the target is for 1,000,000: run `bench/run full`)"
    target("full-text search p95 ≤ 50 ms at 1M articles (1 client)", _col(res[(names["search"], "1 client")], "p95"),
           50, False, " ms", note)
    target("login storm raises feed p99 ≤ 2×", storm, 2, False, "×")
    target("server peak RSS ≤ 150 MB", rss.get("VmHWM", 0), 150, False, " MB")

    p("\n## Every run\n")
    p("Each row: rate per second, p50 / p95 / p99 ms, the 1-minute load average when it ended (above the core "
      "count means other work competed for the cores), and the server's VmHWM (MB) after it: the row where it "
      "grows is the scenario that raised the peak.\n")
    p("| run | scenario | how | rate | p50 | p95 | p99 | load | server VmHWM |")
    p("|---|---|---|---|---|---|---|---|---|")
    for i in range(d["runs"]):
        for (name, kind), rows in res.items():
            r = rows[i]
            p(f"| {i + 1} | {name} | {kind} | {r['rate']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} "
              f"| {_f(r.get('load'), 1)} | {r['hwm']:.0f} |")

    p("\n## Exact commands\n")
    p(f"- HTTP: `wrk -t1 -c{d['conns']} -d{d['duration']}s --timeout 10s -s <scenario>.lua http://127.0.0.1:PORT/`; "
      "each Lua script builds the requests (headers, bodies, ids in turn) and ends with a `done` hook that prints "
      "the rate and p50/p95/p99; search latency with `-c1`")
    p(f"- SQL: `pgbench -n -M prepared -c{d['conns']} -j1 -T{d['duration']} -l -f <read>.sql [-f …] -D <name>=<value> …` "
      "(several `-f`: one script per request of the scenario, picked at random); p50/p95/p99 from its per-transaction log")
    if d.get("raw_sql"):
        p(f"- raw ceiling: `pgbench -n -M prepared -c{d['conns']} -j1 -T{d['duration']} -l -f <harness>/raw-sql/<read>.sql "
          "postgres://…/directus_peer` for " + ", ".join(f"{name} (`{f.rsplit('/', 1)[1]}`)" for name, f in d["raw_sql"].items()))
    p(f"- fixed rate: `oha -z {d['duration']}s -c {d['conns']} -q <half the run's wrk rate> --latency-correction "
      "--no-tui --output-format json -H 'X-Api-Key: …' <url>`")
    p(f"- login storm: `wrk -t1 -c{d['storm_conns']} -d{d['duration'] + 2}s -s login.lua` started 1 s before the feed's wrk")
    p(f"- feed cursor `{d['cursor']}` (the middle event by (txid, id)); story `{d['story_path']}`; deep page: "
      f"page {d['deep_depth']:,} of `/api/v1/articles?limit=20`; searches: {', '.join('`' + q + '`' for q in d['searches'])}")
    p("\n### The SQL of each read, as captured (one pgbench transaction = one HTTP request)\n")
    for name, *_ in d["reads"]:
        texts = d["scripts"][name][2]
        p(f"{name}{' (the first of ' + str(len(texts)) + ' scripts)' if len(texts) > 1 else ''}:\n")
        p("```sql\n" + texts[0] + "```\n")
