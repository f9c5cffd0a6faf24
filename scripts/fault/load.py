"""The steady write load and the readiness poller. Every writer owns the articles it creates
and takes each through create, two PATCHes, publish and a correction (a PATCH of the
published story). The ledger keeps, per article, the state of the last acknowledged (2xx)
write; a write that got no answer, a 5xx or a dropped connection may or may not have been
committed, so its article is set aside with both possible states, and the writer moves on
to a new article."""

import http.client
import json
import threading
import time
import urllib.parse


def call(base, method, path, body=None, token=None, headers=None, timeout=20):
    """(status, parsed body or None); raises OSError when no answer came."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    h = dict(headers or {})
    if body is not None:
        h["content-type"] = "application/json"
    if token:
        h["authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, json.dumps(body) if body is not None else None, h)
        res = conn.getresponse()
        data = res.read()
    except (http.client.HTTPException, ValueError) as err:
        raise OSError(str(err)) from err
    finally:
        conn.close()
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = None
    return res.status, parsed


def state_of(article):
    return {"version": article["version"], "headline": article["headline"],
            "body": article["body"], "status": article["status"]}


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}       # article id -> state of its last acknowledged write
        self.unsure = {}      # article id -> the state its unanswered write would have made
        self.ack_times = []   # monotonic time of every acknowledgement
        self.acks = 0
        self.unanswered = 0   # writes with no answer or a 5xx (outcome unknown)
        self.refused = []     # unexpected 4xx answers: (method, path, status, body)
        self.publishing = 0   # publish requests in flight

    def ack(self, article_id, state):
        with self.lock:
            self.acked[article_id] = state
            self.ack_times.append(time.monotonic())
            self.acks += 1

    def first_ack_after(self, t):
        with self.lock:
            return next((a for a in self.ack_times if a >= t), None)


class Writers:
    def __init__(self, base, token, desk, ledger, count=3):
        self.base, self.token, self.desk, self.ledger = base, token, desk, ledger
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                        for i in range(count)]

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()

    def _send(self, method, path, body, headers=None):
        try:
            return call(self.base, method, path, body, self.token, headers)
        except OSError:
            return None, None

    def _run(self, index):
        n = 0
        while not self.stop.is_set():
            n += 1
            headline = f"Fault story {index}-{n}"
            create = {"outlet_id": self.desk["outlet"], "headline": headline,
                      "standfirst": "Written under faults.", "body": f"Body {index}-{n} v1.",
                      "section_id": self.desk["section"], "author_ids": [self.desk["author"]]}
            status, article = self._send("POST", "/api/v1/articles", create)
            if status == 201:
                self.ledger.ack(article["id"], state_of(article))
            else:
                self._failed("POST", "/api/v1/articles", status, article)
                continue
            current = state_of(article)
            steps = [("PATCH", {"body": f"Body {index}-{n} v2."}),
                     ("PATCH", {"headline": f"{headline} (updated)"}),
                     ("publish", None),
                     ("PATCH", {"body": f"Body {index}-{n} v3, corrected."})]
            for kind, change in steps:
                if self.stop.is_set():
                    break
                expected = dict(current, version=current["version"] + 1)
                if kind == "publish":
                    path = f"/api/v1/articles/{article['id']}/actions/publish"
                    expected["status"] = "published"
                    with self.ledger.lock:
                        self.ledger.publishing += 1
                    status, body = self._send("POST", path, None,
                                              {"if-match": f'"{current["version"]}"'})
                    with self.ledger.lock:
                        self.ledger.publishing -= 1
                else:
                    path = f"/api/v1/articles/{article['id']}"
                    expected.update(change)
                    status, body = self._send("PATCH", path, change,
                                              {"if-match": f'"{current["version"]}"'})
                if status == 200:
                    current = state_of(body)
                    if current != expected:
                        with self.ledger.lock:
                            self.ledger.refused.append((kind, path, status, "answer differs"))
                    self.ledger.ack(article["id"], current)
                    continue
                if status is None or status >= 500:
                    with self.ledger.lock:
                        self.ledger.unsure[article["id"]] = expected
                self._failed(kind, path, status, body)
                break

    def _failed(self, method, path, status, body):
        with self.ledger.lock:
            if status is None or status >= 500:
                self.ledger.unanswered += 1
            else:
                self.ledger.refused.append((method, path, status, json.dumps(body)[:300]))
        time.sleep(0.2)


class ReadyPoller:
    """Polls `/health/ready` every 0.1 s: (sent, answered, status, or why there was no answer) per poll."""

    def __init__(self, base):
        self.base = base
        self.polls = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            sent = time.monotonic()
            try:
                status, _ = call(self.base, "GET", "/health/ready", timeout=10)
            except OSError as err:
                status = f"no answer: {err}"
            with self.lock:
                self.polls.append((sent, time.monotonic(), status))
            time.sleep(0.1)

    def between(self, start, end):
        with self.lock:
            return [p for p in self.polls if start <= p[0] < end]

    def first_200_after(self, t):
        with self.lock:
            return next((p[1] for p in self.polls if p[0] >= t and p[2] == 200), None)
