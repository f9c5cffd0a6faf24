"""The peer harness's three reads (../shared/bench-peers) in bench/run: newsroom's requests for
a (latest 20), b (one story whole, with authors) and c (one outlet, page 201), and the
harness's hand-written SQL for each (`raw-sql/*.sql`), run by pgbench on the harness's own data
(database directus_peer) as the raw ceiling beside newsroom's own-SQL ratio.
"""
import os
import urllib.parse

A, B, C = "a: latest 20 (public)", "b: one story whole, with authors (public)", "c: one outlet, page 201 (public)"
SQL = {A: "a_latest20.sql", B: "b_by_id.sql", C: "c_deep_page.sql"}


def reads(call, psql):
    """(name, paths in turn, headers) of a, b, c as the harness's newsroom/run.sh finds them: b
    in turn over 5 published stories (percent-encoded slugs), c by walking 200 pages of the
    third outlet (the harness's outlet_id = 3)."""
    rows = psql("select o.slug || ' ' || a.slug from articles a join outlets o on o.id = a.outlet_id "
                "where a.status = 'published' and (a.embargo_until is null or a.embargo_until <= now()) "
                "and not a.tags @> '{bench-write}' order by md5(a.id::text) limit 5").splitlines()
    stories = [urllib.parse.quote(f"/public/v1/outlets/{o}/articles/{s}") for o, s in (r.split(" ", 1) for r in rows)]
    outlets = call("GET", "/public/v1/outlets")
    outlets = outlets.get("items", outlets) if isinstance(outlets, dict) else outlets
    outlet, cursor = outlets[min(2, len(outlets) - 1)]["slug"], None
    for _ in range(200):
        cursor = call("GET", f"/public/v1/articles?outlet={outlet}&limit=20" + (f"&cursor={cursor}" if cursor else ""))["next"]
    return [(A, ["/public/v1/articles?limit=20"], {}), (B, stories, {}),
            (C, [f"/public/v1/articles?outlet={outlet}&limit=20&cursor={cursor}"], {})]


def ceiling(peers, peer_url):
    """{read name: the harness's SQL file}, or {} without the harness or its data."""
    if not peers or not peer_url or not os.path.isdir(f"{peers}/raw-sql"):
        return {}
    return {name: f"{peers}/raw-sql/{f}" for name, f in SQL.items()}
