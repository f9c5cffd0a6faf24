"""The Markdown report of bench/peers.py: one table of medians over the rounds, then every round."""
import statistics


def _f(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def _med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _row(read, rounds):
    """The figures of one read in each round: newsroom's, the raw ceiling's, Directus's."""
    out = []
    for r in rounds:
        nr, raw = r["newsroom"][read], r["raw"].get(read)
        dx = r.get("directus", {}).get(read)
        out.append({"rate": nr["rate"], "p50": nr["p50"], "p99": nr["p99"], "half": nr["half_p99"],
                    "half_rate": nr["half_rate"], "errors": nr["errors"], "raw": raw,
                    "ratio": nr["rate"] / raw if raw else None, "dx": dx["rate"] if dx else None,
                    "dx_p99": dx["p99"] if dx else None, "floor": nr.get("floor_p99")})
    return out


def write(out, rounds, d):
    p = lambda *a: print(*a, file=out)
    p(f"\n{d['rounds']} round(s), each: {'Directus (public role), ' if d['directus'] else ''}the raw ceiling, "
      f"then newsroom; wrk `-t{d['threads']} -c{d['conns']} -d{d['duration']}s --latency` after a {d['warmup']} s "
      f"warm-up, the p99 at half rate with oha `-q <half the wrk rate> --latency-correction` for {d['duration']} s; "
      f"newsroom on `{d['db']}` ({d['articles']} stories, `--embargoed {d['embargoed']}`)"
      f"{'; CHURN=1: a story published, corrected or killed every second during every newsroom measurement' if d['churn'] else ''}.\n")
    p("## Medians of the rounds\n")
    p("| read | newsroom req/s | p50 ms | p99 ms | p99 ms at half rate | nginx, same bytes and rate: p99 ms "
      "| raw SQL tps | newsroom / raw | Directus req/s |")
    p("|---|---|---|---|---|---|---|---|---|")
    for read in d["reads"]:
        rows = _row(read, rounds)
        m = {k: _med([r[k] for r in rows]) for k in rows[0]}
        p(f"| {d['names'][read]} | {_f(m['rate'])} | {_f(m['p50'], 2)} | {_f(m['p99'], 2)} | {_f(m['half'], 2)} "
          f"| {_f(m['floor'], 2)} | {_f(m['raw'])} | {_f(m['ratio'], 3)}{'×' if m['ratio'] else ''} | {_f(m['dx'])} |")
    p("\nnewsroom / raw is the median of the per-round ratios. The raw ceiling is the harness's hand-written SQL "
      "(`raw-sql/*.sql`, pgbench `-M prepared -c 8 -j 2`) on its own data (`directus_peer`, 100,000 articles); "
      "the feed has no raw counterpart there. bench/run's own-SQL ratio (the SQL newsroom itself runs, "
      "captured) is in `bench/run`'s report. The nginx column is the machine's own floor: oha at the same "
      "rate, right after, against nginx serving the same answer's bytes as a file (for b, the first story); "
      "a stall of the machine shows in both.\n")
    if d["slices"] > 1:
        pairs = [x for r in rounds for x in r["newsroom"]["c"]["pairs"]]
        p(f"**c / a**, measured in turn ({d['slices']} slices of {d['duration'] // d['slices']} s each per round, "
          f"after a warm-up of both): the median of the {len(pairs)} pairs {_f(_med(pairs), 2)} "
          f"(range {_f(min(pairs), 2)}–{_f(max(pairs), 2)}); per round "
          + ", ".join(_f(_med(r["newsroom"]["c"]["pairs"]), 2) for r in rounds) + ". A read's req/s is "
          "the mean of its slices, its p50 the median and its p99 the highest.\n")
    if d["against"]:
        p(f"## At {d['articles']} stories against {d['against']} (`{d['against_db']}`), same rounds\n")
        p("Each round measured newsroom on both databases, one after the other, in alternating order. "
          "The ratio is the rate at the first over the rate at the second, per round.\n")
        p(f"| read | req/s at {d['articles']} | req/s at {d['against']} | ratio, median | per round | "
          f"p99 at half rate, at {d['articles']} / at {d['against']} |")
        p("|---|---|---|---|---|---|")
        for read in d["reads"]:
            big = [r["newsroom"][read] for r in rounds]
            small = [r["against"][read] for r in rounds]
            ratios = [b["rate"] / s["rate"] for b, s in zip(big, small)]
            p(f"| {d['names'][read]} | {_f(_med([b['rate'] for b in big]))} | {_f(_med([s['rate'] for s in small]))} "
              f"| {_f(_med(ratios), 3)} | {', '.join(_f(x, 3) for x in ratios)} "
              f"| {_f(_med([b['half_p99'] for b in big]), 2)} / {_f(_med([s['half_p99'] for s in small]), 2)} ms |")
        p("")
    p("## Every round\n")
    p("| round | read | newsroom req/s | p50 | p99 | p99 at half rate (rate) | nginx p99 | errors | raw tps "
      "| newsroom / raw | Directus req/s (p99) |")
    p("|---|---|---|---|---|---|---|---|---|---|---|")
    for read in d["reads"]:
        for i, r in enumerate(_row(read, rounds)):
            dx = "n/a" if r["dx"] is None else f"{r['dx']:,.0f} ({r['dx_p99']:.0f})"
            p(f"| {i + 1} | {read} | {r['rate']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['half']:.2f} "
              f"({r['half_rate']:,.0f}/s) | {_f(r['floor'], 2)} | {r['errors']} | {_f(r['raw'])} | {_f(r['ratio'], 3)} | {dx} |")
    p("")
    for i, r in enumerate(rounds):
        m = r["meta"]
        line = (f"- round {i + 1}: load {r['load']:.1f} at its start; newsroom peak RSS (VmHWM) {m['rss']:.1f} MiB; "
                f"{m['embargoed']:,} published stories under embargo; the feed's page {m['feed_bytes']:,} bytes")
        if "directus" in r:
            line += f"; Directus peak RSS {max(v['rss'] for v in r['directus'].values())} MiB"
        if "against_meta" in r:
            line += (f"; at {d['against']}: peak RSS {r['against_meta']['rss']:.1f} MiB, "
                     f"{r['against_meta']['embargoed']:,} under embargo, the feed's page {r['against_meta']['feed_bytes']:,} bytes")
        if m["churn"]:
            c = m["churn"]
            line += (f"; churn: {c['publish']} published, {c['correct']} corrected, {c['kill']} killed, "
                     f"{c['failed']} failed")
        p(line)
