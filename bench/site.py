"""The reader site's pages under load (bench/run-site): the story page over 1,000 published
stories in turn, then the front page, each with wrk (bench/loadgen.py's closed loop), against
the targets of issue #18. A third row, "story, 20,000 in turn", asks each story about once in
four seconds, so nearly every request misses the instance's one-second page cache
(src/site/page_cache.rs): what a page costs to make. Prints a Markdown table; BENCH_OUT also
writes it to a file."""
import os
import subprocess
import tempfile
import urllib.parse
import urllib.request

import loadgen

env = os.environ
db_url, base = env["BENCH_DB_URL"], env["BENCH_BASE"]
conns, secs = int(env["BENCH_CONNS"]), int(env["BENCH_SECS"])

TARGETS = {"story": 5000, "front": 2000, "story, 20,000 in turn": None}

DONE = """
local reported = false
response = function(status, headers, body)
  if status ~= 200 and not reported then
    reported = true
    io.stderr:write("first non-200 answer: " .. status .. " " .. string.sub(body, 1, 300) .. "\\n")
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d %d %.3f %.3f %.3f\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""

# Public stories only: the site answers 404 for anything else, which would not be a page.
STORIES = """select '/' || o.slug || '/' || a.slug from articles a join outlets o on o.id = a.outlet_id
where a.status = 'published' and a.published_at <= now() and (a.embargo_until is null or a.embargo_until <= now())
order by a.id limit 20000"""


def psql(sql):
    return subprocess.run(["psql", db_url, "-Atqc", sql], check=True, capture_output=True, text=True).stdout


def quote(path):
    return "/".join(urllib.parse.quote(part) for part in path.split("/"))


def lua(work, name, paths):
    items = ", ".join(f'"{p}"' for p in paths)
    path = f"{work}/{name}.lua"
    with open(path, "w") as f:
        f.write(f"""local paths = {{{items}}}
local reqs, n = {{}}, 0
init = function(args)
  for i, p in ipairs(paths) do reqs[i] = wrk.format("GET", p, {{["Accept-Encoding"] = "gzip"}}) end
end
request = function() n = n % #reqs + 1; return reqs[n] end
""" + DONE)
    return path


def check(path):
    with urllib.request.urlopen(base + path) as res:
        body = res.read()
        if res.status != 200:
            raise SystemExit(f"GET {path} -> {res.status}")
        return len(body)


stories = [quote(p) for p in psql(STORIES).split()]
if not stories:
    raise SystemExit("no published story in the database: seed it first")
sizes = {"story": check(stories[0]), "front": check("/")}
rows = []
with tempfile.TemporaryDirectory() as work:
    for name, paths in [("story", stories[:1000]), ("front", ["/"]),
                        ("story, 20,000 in turn", stories)]:
        loadgen.wrk(base, lua(work, "warm", paths[:50]), conns, 2)
        r = loadgen.wrk(base, lua(work, "run", paths), conns, secs)
        rows.append((name, r))

lines = [
    f"Reader site, {env['BENCH_N']} stories seeded, {env['BENCH_PROFILE']} build, "
    f"wrk -t1 -c{conns} -d{secs}s (story: 1,000 pages in turn; gzip accepted).",
    "",
    "| page | req/s | p50 ms | p95 ms | p99 ms | requests | non-200 | bytes (uncompressed) | target | met |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
]
for name, r in rows:
    target = TARGETS[name]
    met = "—" if target is None else "yes" if r["rate"] >= target and not r["errors"] else "no"
    lines.append(f"| {name} | {r['rate']:.0f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | {r['n']} | "
                 f"{r['errors']} | {sizes.get(name, sizes['story'])} | "
                 f"{'—' if target is None else f'>= {target} req/s'} | {met} |")
if env["BENCH_PROFILE"] != "release":
    lines += ["", "A debug build: these figures only show that the script works; measure with a release build."]
text = "\n".join(lines) + "\n"
print(text)
if env.get("BENCH_OUT"):
    with open(env["BENCH_OUT"], "w") as f:
        f.write(text)
