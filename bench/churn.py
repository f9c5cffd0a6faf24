"""Writes during a read benchmark (`CHURN=1 bench/run-peers`): every second, in turn, a new
story published, a published one corrected (a PATCH with a public `correction_note`) or a
published one killed, through the staff API as an editor's screen would. It works on its own
stories (tagged `bench-churn`, removed when the next run starts), so the seeded data stays as
seeded and a database can be reused run after run.
"""
import http.client
import json
import threading
import time
import urllib.parse

TAG = "bench-churn"


class Staff:
    """A keep-alive JSON client; `login` adds the bearer token."""

    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.auth, self.conn = u.hostname, u.port, {}, None

    def login(self, email, password):
        self.auth = {"Authorization": "Bearer " + self.post("/api/v1/auth/login",
                                                            {"email": email, "password": password})["token"]}
        return self

    def call(self, method, path, body=None, headers=None):
        """(status, JSON answer or None); one reconnect if the kept-alive connection was closed."""
        res, data = self.send(method, path, body, headers)
        answer = json.loads(data) if data and "json" in (res.getheader("content-type") or "") else None
        return res.status, answer

    def raw(self, path, headers=None):
        """The bytes of a GET that must succeed."""
        res, data = self.send("GET", path, None, headers)
        if res.status >= 400:
            raise SystemExit(f"GET {path} -> {res.status}")
        return data

    def send(self, method, path, body, headers):
        h = dict(self.auth, **(headers or {}))
        if body is not None:
            h["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request(method, path, json.dumps(body) if body is not None else None, h)
                res = self.conn.getresponse()
                data = res.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt == 2:
                    raise
        return res, data

    def get(self, path, headers=None):
        return self.must("GET", path, None, headers)

    def post(self, path, body):
        return self.must("POST", path, body)

    def must(self, method, path, body=None, headers=None):
        status, answer = self.call(method, path, body, headers)
        if status >= 400:
            raise SystemExit(f"{method} {path} -> {status}: {json.dumps(answer)[:300]}")
        return answer


class Churn(threading.Thread):
    """The write loop; `stop()` ends it and returns what it did: {publish, correct, kill, failed}."""

    def __init__(self, staff, psql, every=1.0):
        super().__init__(daemon=True)
        self.staff, self.every, self.halt = staff, every, threading.Event()
        self.done = {"publish": 0, "correct": 0, "kill": 0, "failed": 0}
        # Outlet, section and byline of a seeded published story make a publishable new one.
        row = psql("select a.outlet_id || ' ' || a.section_id || ' ' || string_agg(aa.author_id::text, ',') "
                   "from articles a join article_authors aa on aa.article_id = a.id "
                   "where a.status = 'published' and a.section_id is not null "
                   "group by a.id order by a.id limit 1").split()
        self.template = {"outlet_id": row[0], "section_id": row[1], "author_ids": row[2].split(",")}
        self.live = []  # [id, version] of the loop's published stories, oldest first

    @staticmethod
    def clean(psql):
        """Removes the stories of earlier runs (and their events: the feed stays as seeded)."""
        psql(f"delete from outbox_events where article_id in (select id from articles where tags @> '{{{TAG}}}')")
        psql(f"delete from articles where tags @> '{{{TAG}}}'")

    def run(self):
        k, due = 0, time.monotonic()
        while not self.halt.wait(max(0.0, due - time.monotonic())):
            due += self.every
            action = ("publish", "correct", "kill")[k % 3] if self.live else "publish"
            k += 1
            try:
                ok = getattr(self, action)(k)
            except (http.client.HTTPException, OSError):
                ok = False
            self.done[action if ok else "failed"] += 1

    def act(self, method, path, version, body):
        status, answer = self.staff.call(method, path, body, {"If-Match": f'"{version}"'})
        return answer["version"] if status == 200 else None

    def publish(self, k):
        status, draft = self.staff.call("POST", "/api/v1/articles", dict(
            self.template, headline=f"Churn story {k} at {time.time():.3f}", standfirst="Written by the churn loop.",
            body="A paragraph of the churn loop's story.\n\nAnd a second one.", tags=[TAG]))
        if status != 201:
            return False
        version = self.act("POST", f"/api/v1/articles/{draft['id']}/actions/publish", draft["version"], {})
        if version:
            self.live.append([draft["id"], version])
        return bool(version)

    def correct(self, k):
        story = self.live[-1]
        version = self.act("PATCH", f"/api/v1/articles/{story[0]}", story[1],
                           {"standfirst": f"Corrected by the churn loop ({k}).", "correction_note": f"Fix {k}."})
        if version:
            story[1] = version
        return bool(version)

    def kill(self, k):
        story = self.live.pop(0)
        return bool(self.act("POST", f"/api/v1/articles/{story[0]}/actions/kill", story[1],
                             {"note": f"Killed by the churn loop ({k})."}))

    def stop(self):
        self.halt.set()
        self.join(timeout=60)
        return dict(self.done)
