#!/usr/bin/env python3
"""The send half of the newsletter benchmark (standard library only): logs in, composes issue 1
of `eastern-briefings` with one story, times `POST .../issues/1/send` (queueing), then polls
the issue until `progress.sent` reaches N (delivery), sampling the server's RSS meanwhile.

    SERVER_PID=… python3 bench/newsletter.py BASE_URL EMAIL PASSWORD ARTICLE_ID N SINK_STATS TOKEN_FILE

Prints `key=value` lines for bench/run-newsletter, and writes the session token to
TOKEN_FILE for the import that follows.
"""
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

base, email, password, article, n, sink_stats, token_file = sys.argv[1:8]
n = int(n)
timeout = float(os.environ.get("TIMEOUT", "900"))
pid = os.environ["SERVER_PID"]
url = urllib.parse.urlsplit(base)
token = None


def call(method, path, body=None):
    # A new connection per request: polls are further apart than the server's keep-alive.
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    if resp.status >= 300:
        sys.exit(f"{method} {path}: {resp.status} {data[:500]!r}")
    return json.loads(data) if data else None


def memory():
    """(VmRSS, VmHWM) of the server in MB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out["VmRSS"], out["VmHWM"]


samples = []
done = threading.Event()


def sample():
    while not done.is_set():
        samples.append(memory()[0])
        time.sleep(0.2)


token = call("POST", "/api/v1/auth/login", {"email": email, "password": password})["token"]
with open(token_file, "w") as f:
    f.write(token)
path = "/api/v1/newsletters/eastern-briefings/issues"
issue = call("POST", path, {"subject": "Eastern Briefings: the bench issue", "article_ids": [article]})
number = issue["number"]
rss_before, _ = memory()
threading.Thread(target=sample, daemon=True).start()

start = time.monotonic()
sent_view = call("POST", f"{path}/{number}/send")
queued_secs = time.monotonic() - start
recipients = sent_view["progress"]["recipients"]

def sink_count():
    with open(sink_stats) as f:
        return json.load(f)["count"]


# The progress query costs about half a second of PostgreSQL time at 100,000 recipients (see
# the results' findings), so it is asked every POLL seconds, and at once when the sink has
# every message; in between, the sink's count (its stats file) is read, which costs nothing.
poll = float(os.environ.get("POLL", "10"))
progress = sent_view["progress"]
asked = time.monotonic()
while progress["sent"] + progress["failed"] < n and time.monotonic() - start < timeout:
    time.sleep(0.2)
    if sink_count() >= n or time.monotonic() - asked >= poll:
        progress = call("GET", f"{path}/{number}")["progress"]
        asked = time.monotonic()
delivered_secs = time.monotonic() - start
done.set()
rss_after, hwm = memory()
with open(sink_stats) as f:
    sink = json.load(f)
sink_secs = (sink["last"] - sink["first"]) if sink["first"] else 0

print(f"recipients={recipients}")
print(f"queue_secs={queued_secs:.1f}")
print(f"queue_rate={n / queued_secs:.0f}")
print(f"sent={progress['sent']}")
print(f"failed={progress['failed']}")
print(f"delivery_secs={delivered_secs:.1f}")
print(f"delivery_rate={progress['sent'] / delivered_secs:.0f}")
print(f"timed_out={int(progress['sent'] + progress['failed'] < n)}")
print(f"sink_count={sink['count']}")
print(f"sink_secs={sink_secs:.1f}")
print(f"sink_rate={sink['count'] / sink_secs if sink_secs else 0:.0f}")
print(f"rss_before_mb={rss_before:.0f}")
print(f"rss_max_sampled_mb={max(samples):.0f}")
print(f"rss_after_mb={rss_after:.0f}")
print(f"hwm_send_mb={hwm:.0f}")
