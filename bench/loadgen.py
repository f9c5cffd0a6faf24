"""The load generators of bench/measure.py and the CPU time they and the server spend.

Every function returns a dict: `rate` (requests or transactions per second), `p50`, `p95`,
`p99` (ms), `n` (requests), and, through CpuMeter.measure, CPU ms per request of the client,
the server and PostgreSQL, and the load average when it ended.
"""
import http.client
import json
import os
import re
import resource
import subprocess
import time

import sqlcapture


def parse_wrk(out):
    """The `BENCH …` line of the `done` hook every wrk script of the benchmark ends with."""
    m = re.search(r"^BENCH (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)$", out, re.M)
    if not m:
        raise SystemExit("wrk printed no result:\n" + out)
    n, micros, connect, read, write, status, timeout = (int(x) for x in m.groups()[:7])
    if connect or read or write:
        raise SystemExit(f"wrk saw errors (connect {connect}, read {read}, write {write}):\n{out}")
    p50, p95, p99 = (float(x) for x in m.groups()[7:])
    # Non-2xx answers are counted and reported, not fatal: the scripts print the first to stderr.
    return {"rate": n / (micros / 1e6), "p50": p50, "p95": p95, "p99": p99, "n": n, "timeouts": timeout,
            "errors": status}


def wrk(base, lua, conns, secs):
    """`wrk -t1 -c<conns>`: closed loop, each connection sends its next request on an answer."""
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "-s", lua, base + "/"]
    return parse_wrk(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout)


def pgbench(db_url, work, files, bindings, conns, secs):
    """`pgbench -M prepared` over the scripts (picked at random, equal weights)."""
    for old in os.listdir(work):
        if old.startswith("pgbench_log"):
            os.remove(f"{work}/{old}")
    cmd = ["pgbench", "-n", "-M", "prepared", f"-c{conns}", "-j1", f"-T{secs}", "-l", f"--log-prefix={work}/pgbench_log"]
    for f in files:
        cmd += ["-f", f]
    for k, v in bindings.items():
        cmd += ["-D", f"{k}={v}"]
    done = subprocess.run(cmd + [db_url], capture_output=True, text=True)
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    if done.returncode != 0 or (failed and failed.group(1) != "0"):
        raise SystemExit(f"pgbench failed: {' '.join(cmd[:12])} …\n{done.stdout}\n{done.stderr}")
    lat = sorted(int(line.split()[2]) / 1000 for name in os.listdir(work) if name.startswith("pgbench_log")
                 for line in open(f"{work}/{name}"))
    pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]
    return {"rate": float(re.search(r"tps = ([\d.]+)", done.stdout).group(1)), "p50": pct(50), "p95": pct(95),
            "p99": pct(99), "n": len(lat), "timeouts": 0}


def oha(binary, url, headers, rate, conns, secs):
    """Open loop at a fixed rate: oha sends on a schedule of `rate` per second, and with
    `--latency-correction` times each request from when the schedule said to send it, so a
    stall delays (and counts against) every request behind it."""
    cmd = [binary, "-z", f"{secs}s", "-c", str(conns), "-q", f"{rate:.0f}", "--latency-correction",
           "--no-tui", "--output-format", "json"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = json.loads(subprocess.run(cmd + [url], check=True, capture_output=True, text=True).stdout)
    codes = out.get("statusCodeDistribution", {})
    # Requests still in flight when the duration ends are cut off: not an error of the server.
    errors = {k: v for k, v in (out.get("errorDistribution") or {}).items() if "deadline" not in k}
    if set(codes) - {"200"} or errors:
        raise SystemExit(f"oha saw errors: {codes} {errors}")
    pct = out["latencyPercentiles"]
    return {"rate": out["summary"]["requestsPerSec"], "p50": pct["p50"] * 1000, "p95": pct["p95"] * 1000,
            "p99": pct["p99"] * 1000, "n": sum(codes.values()), "timeouts": 0, "target": rate,
            "load": os.getloadavg()[0]}


class CpuMeter:
    """CPU seconds from /proc, to tell what each side costs apart from how the shared cores
    were divided: the load generator (this process's children), the server process, and
    PostgreSQL (the server's pooled backends, plus every backend that exited, counted in the
    postmaster's reaped children: pgbench's)."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, db_url, server_pid):
        self.db_url, self.server_pid = db_url, server_pid
        try:
            data_dir = sqlcapture.psql(db_url, "show data_directory")
            self.pg_pid = open(f"{data_dir}/postmaster.pid").readline().strip()
        except (OSError, subprocess.CalledProcessError):
            self.pg_pid = None  # PostgreSQL elsewhere: no CPU columns

    def _proc(self, pid, children=False):
        try:
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(f[13]) + int(f[14]) if children else int(f[11]) + int(f[12])) / self.TICK

    def _backends(self):
        return sqlcapture.psql(self.db_url, "select coalesce(string_agg(pid::text, ' '), '') from pg_stat_activity "
                                            "where datname = current_database() and application_name = 'newsroom'").split()

    def _snapshot(self, backends):
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        pg = sum(self._proc(b) for b in backends) + (self._proc(self.pg_pid, children=True) if self.pg_pid else 0.0)
        return kids.ru_utime + kids.ru_stime, self._proc(self.server_pid), pg

    def measure(self, run):
        before = self._snapshot(self._backends())
        r = run()
        time.sleep(0.5)  # pgbench's backends exit and are reaped
        after = self._snapshot(self._backends())
        cpu = [(b - a) * 1000 / max(r["n"], 1) for a, b in zip(before, after)]
        return dict(r, cpu_client=cpu[0], cpu_server=cpu[1], cpu_pg=cpu[2] if self.pg_pid else None,
                    load=os.getloadavg()[0])


def under_callgrind(command, work):
    """`command` run under valgrind's callgrind, its dumps written into `work`."""
    return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/callgrind.%p"] + command


def wait_ready(server, port, tries, log):
    """Waits until the server at `port` answers /health/ready (0.2 s between `tries`)."""
    for _ in range(tries):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health/ready")
            if c.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    raise SystemExit(f"the server did not start; see {log}")


def instructions_per_request(server, work, count, send):
    """Instructions the server (run `under_callgrind`) spends per request: its counters zeroed,
    `send(count)` makes the requests, the counters dumped and the newest dump's total divided."""
    subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True, capture_output=True)
    send(count)
    subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True, capture_output=True)
    dumps = sorted((f for f in os.listdir(work) if f.startswith(f"callgrind.{server.pid}.")),
                   key=lambda f: int(f.rsplit(".", 1)[1]))
    with open(f"{work}/{dumps[-1]}") as f:
        totals = [line for line in f if line.startswith(("summary:", "totals:"))]
    return int(totals[-1].split()[1]) / count
