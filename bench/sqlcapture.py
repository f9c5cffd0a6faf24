"""The SQL a request really runs, read from PostgreSQL's log, turned into pgbench scripts.

With `log_min_duration_statement = 0` on the benchmark database, PostgreSQL logs every
statement the server executes with its parameters (`execute <name>: <sql>` then
`DETAIL:  parameters: $1 = '…'`). The benchmark brackets each request with a marker query
(`select 'newsroom-bench-mark:<label>'`) and keeps what was executed between the markers,
less the statements the background worker runs on its own (learnt from a quiet window)
and sqlx's type look-ups. So the pgbench side always runs the statements of the current
build, with the values of a real request: nothing to keep in sync by hand.
"""
import os
import re
import subprocess

MARK = "newsroom-bench-mark:"
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] .*?(LOG|DETAIL|ERROR|STATEMENT|WARNING|HINT|CONTEXT):  (.*)$")
EXECUTE = re.compile(r"duration: [\d.]+ ms  execute [^:]*: (.*)$", re.S)
SIMPLE = re.compile(r"duration: [\d.]+ ms  statement: (.*)$", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")


def psql(db_url, sql):
    return subprocess.run(["psql", db_url, "-XAtqc", sql], check=True, capture_output=True, text=True).stdout.strip()


def log_path(db_url):
    """PG_LOG, else the collector's current file, else Debian's `postgresql-<major>-main.log`."""
    if os.environ.get("PG_LOG"):
        return os.environ["PG_LOG"]
    current = psql(db_url, "select coalesce(pg_current_logfile(), '')")
    if current:
        return current if current.startswith("/") else os.path.join(psql(db_url, "show data_directory"), current)
    major = int(psql(db_url, "show server_version_num")) // 10000
    return f"/var/log/postgresql/postgresql-{major}-main.log"


def enable(db_url, db):
    psql(db_url, f"alter database {db} set log_min_duration_statement = 0")
    psql(db_url, f"alter database {db} set log_parameter_max_length = -1")


def disable(db_url, db):
    psql(db_url, f"alter database {db} reset log_min_duration_statement")
    psql(db_url, f"alter database {db} reset log_parameter_max_length")


def mark(db_url, label):
    psql(db_url, f"select '{MARK}{label}'")


def entries(path, offset):
    """(pid, kind, text) of every log message after `offset`, continuation lines joined."""
    out = []
    with open(path, errors="replace") as f:
        f.seek(offset)
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if m:
                out.append([m.group(1), m.group(2), m.group(3)])
            elif out and line.startswith("\t"):
                out[-1][2] += "\n" + line[1:].rstrip("\n")
    return out


def windows(path, offset):
    """{label: [(sql, {n: value or None})]}: the statements executed before each marker."""
    result, current = {}, []
    items = entries(path, offset)
    for i, (pid, kind, text) in enumerate(items):
        if kind != "LOG":
            continue
        simple = SIMPLE.match(text)
        if simple and MARK in simple.group(1):
            label = simple.group(1).split(MARK, 1)[1].rstrip("';").strip()
            result[label], current = current, []
            continue
        m = EXECUTE.match(text)
        if not m:
            continue
        params = {}
        nxt = next((it for it in items[i + 1:i + 6] if it[0] == pid), None)
        if nxt and nxt[1] == "DETAIL" and nxt[2].startswith("parameters: "):
            for p in PARAM.finditer(nxt[2]):
                params[int(p.group(1))] = None if p.group(2) == "NULL" else p.group(3).replace("''", "'")
        current.append((m.group(1).strip(), params))
    return result


def request_statements(captured, label, background):
    """The statements of one request, captured twice (`<label>-a`, `<label>-b`): those of the
    first window that the second has too, less the worker's own and sqlx's type look-ups."""
    again = {sql for sql, _ in captured.get(f"{label}-b", [])}
    stmts = [(sql, p) for sql, p in captured.get(f"{label}-a", [])
             if sql in again and sql not in background and "pg_catalog.pg_type" not in sql]
    if not stmts:
        raise SystemExit(f"no SQL captured for {label}: is PostgreSQL's log ({os.environ.get('PG_LOG') or 'see PG_LOG'}) "
                         "the one of this server, and readable?")
    return stmts


def _literal(m):
    """A literal with `:word` in it would be read by pgbench as a variable: write it as E'…\\072…'."""
    text = m.group(0)
    if m.group(1) or not re.search(r":[A-Za-z_]", text):
        return text
    inner = m.group(2).replace("\\", "\\\\").replace(":", "\\072")
    return f"E'{inner}'"


TYPES = [(re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d(:?\d\d)?|Z)$"), "timestamptz"),
         (re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"), "uuid"),
         (re.compile(r"^\\x[0-9a-f]*$"), "bytea")]


def _cast(value):
    """pgbench sends its values untyped, where sqlx sent them typed; PostgreSQL infers most
    types from the context, not all (`$1 - interval '60 seconds'`). Values whose text says
    their type get that cast; the others (numbers, text, enums, arrays) are left to inference."""
    return next((f"::{t}" for pattern, t in TYPES if pattern.match(value)), "")


def pgbench_script(stmts, prefix):
    """pgbench text for the statements, and the -D bindings of their parameters."""
    lines, bindings = [], {}
    for k, (sql, params) in enumerate(stmts):
        sql = re.sub(r"([Ee]?)'((?:[^']|'')*)'", _literal, sql)

        def var(m, k=k, params=params):
            n = int(m.group(1))
            if params.get(n) is None:
                return "null"
            name = f"{prefix}_{k}_{n}"
            bindings[name] = params[n]
            return f":{name}" + ("" if m.group(2) else _cast(params[n]))
        sql = re.sub(r"\$(\d+)(?!\d)(::)?", lambda m: var(m) + (m.group(2) or ""), sql)
        lines.append(" ".join(sql.split()).rstrip(";") + ";")
    return "\n".join(lines) + "\n", bindings
