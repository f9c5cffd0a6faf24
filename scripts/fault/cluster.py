"""The processes the fault test starts and breaks: a private PostgreSQL cluster (run as the
`postgres` user through `runuser`, in a temporary folder, on its own port) and the
`newsroom serve` process."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

PG_BIN = "/usr/lib/postgresql/15/bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args, **kw):
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


class Cluster:
    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.log = os.path.join(work, "postgres.log")
        self.port = free_port()
        os.makedirs(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        shutil.chown(work, "postgres", "postgres")
        as_postgres(f"{PG_BIN}/initdb", "-D", self.dir, "-U", "postgres", "--auth=trust",
                    "--no-instructions", "-E", "UTF8", "--locale=C.UTF-8")
        with open(os.path.join(self.dir, "postgresql.conf"), "a") as conf:
            conf.write(f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.dir}'\nmax_connections = 50\n"
                       "fsync = on\nsynchronous_commit = on\n")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/newsroom"

    def start(self):
        as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.dir, "-l", self.log, "-w", "-t", "60", "start")

    def stop(self, mode):
        as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.dir, "-m", mode, "-w", "-t", "60", "stop")

    def psql(self, sql, database="newsroom"):
        """Runs `sql`; the rows of its last statement, as lists of strings."""
        url = self.url.rsplit("/", 1)[0] + "/" + database
        out = subprocess.run(["psql", url, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                              "-c", sql], check=True, stdout=subprocess.PIPE, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def scalar(self, sql):
        return self.psql(sql)[0][0]

    def holder(self):
        """A psql session reading from a pipe, to hold locks for as long as the test wants."""
        return subprocess.Popen(["psql", self.url + "?application_name=fault-holder", "-X", "-q",
                                 "-v", "ON_ERROR_STOP=1"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


class Server:
    """`newsroom serve` with its log in the work folder; `start` waits for readiness."""

    def __init__(self, binary, work, env):
        self.binary = binary
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, NEWSROOM_ADDR=f"127.0.0.1:{self.port}", **env)
        self.log = open(os.path.join(work, "newsroom.log"), "ab")
        self.proc = None

    def start(self, timeout=30):
        """Starts the server; seconds until `/health/ready` answered 200."""
        started = time.monotonic()
        self.proc = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"newsroom exited with {self.proc.returncode}; see its log")
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=2) as res:
                    if res.status == 200:
                        return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("newsroom did not become ready")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def terminate(self):
        self.proc.send_signal(signal.SIGTERM)

    def running(self):
        return self.proc is not None and self.proc.poll() is None
