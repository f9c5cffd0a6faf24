#!/usr/bin/env python3
"""The fault test (see docs/testing.md, "Fault tests"). Standard library only.

    python3 scripts/fault/run.py BINARY WORK_DIR [SUBSCRIBERS]

Sets up a private PostgreSQL cluster, an SMTP sink, a webhook receiver and `newsroom serve`,
runs a steady write load, breaks things one after another, then checks that nothing
acknowledged was lost, nothing was half-published, every subscriber got the issue (one
message each, repeated only across a crash) and every webhook event arrived. Prints a figures table; exits 1 when a check failed.
"""

import atexit
import collections
import os
import subprocess
import sys
import threading
import time

from cluster import Cluster, Server, free_port
from load import Ledger, ReadyPoller, Writers, call
from receivers import SmtpSink, WebhookReceiver

binary, work = sys.argv[1], sys.argv[2]
subscribers = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
EMAIL, PASSWORD = "admin@fault.example", "fault test password 1"
READY_WITHIN = 10.0   # seconds from PostgreSQL back to readiness 200 (the bound)
began = time.monotonic()
figures = []          # (measure, value)
failures = []


def note(measure, value):
    figures.append((measure, value))
    print(f"  {measure}: {value}", flush=True)


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"  FAILED: {what}", flush=True)


def wait_for(predicate, timeout, every=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def secs(value):
    return "-" if value is None else f"{value:.2f} s"


# --- set-up ---------------------------------------------------------------------------------
print("setting up: private cluster, sinks, server", flush=True)
cluster = Cluster(work)
cluster.start()
cluster.psql("create database newsroom", database="postgres")
env = {"DATABASE_URL": cluster.url}
subprocess.run([binary, "migrate"], env=dict(os.environ, **env, RUST_LOG="warn"), check=True)
subprocess.run([binary, "create-user", "--email", EMAIL, "--name", "Fault Admin", "--role", "admin"],
               input=PASSWORD + "\n", text=True, env=dict(os.environ, **env, RUST_LOG="warn"),
               check=True, stdout=subprocess.DEVNULL)
cluster.psql(f"""
insert into newsletters (id, slug, name, description, created_at, updated_at)
values (gen_random_uuid(), 'fault-briefing', 'Fault Briefing', 'Sent while things break', now(), now());
insert into subscribers (id, email, name, created_at, updated_at)
select gen_random_uuid(), 'reader' || i || '@fault.example', 'Reader ' || i, now(), now()
from generate_series(1, {subscribers}) i;
insert into subscriptions (subscriber_id, newsletter_id, status, policy_version, created_at, updated_at, confirmed_at)
select s.id, n.id, 'confirmed', '2026-11', now(), now(), now() from subscribers s, newsletters n;
""")
sink = SmtpSink(free_port())
receiver = WebhookReceiver(free_port())
server = Server(binary, work, {
    **env, "SMTP_URL": f"smtp://127.0.0.1:{sink.port}", "NEWSROOM_WEBHOOK_ALLOW_PRIVATE": "true",
    "NEWSROOM_DATA_DIR": os.path.join(work, "data"), "NEWSROOM_LOG": "json", "RUST_LOG": "warn",
})
atexit.register(lambda: server.running() and server.kill())
server.start()
status, login = call(server.base, "POST", "/api/v1/auth/login", {"email": EMAIL, "password": PASSWORD})
token = login["token"]


def create(path, body):
    status, answer = call(server.base, "POST", path, body, token)
    if status != 201:
        sys.exit(f"set-up failed: POST {path} answered {status}: {answer}")
    return answer["id"]


outlet = create("/api/v1/outlets", {"slug": "fault-times", "name": "Fault Times", "country": "SG", "language": "en"})
desk = {"outlet": outlet,
        "section": create("/api/v1/sections", {"slug": "faults", "name": "Faults"}),
        "author": create("/api/v1/authors", {"slug": "fault-desk", "name": "Desk", "outlet_id": outlet})}
create("/api/v1/partners", {"name": "Fault Partner", "webhook_url": f"http://127.0.0.1:{receiver.port}/hook",
                            "webhook_secret": "a fault test webhook secret"})

ledger = Ledger()
poller = ReadyPoller(server.base)
writers = Writers(server.base, token, desk, ledger)
writers.start()
time.sleep(3)
note("set-up time (cluster, migrations, seed, server)", secs(time.monotonic() - began))


# --- 1, 2: PostgreSQL restarts --------------------------------------------------------------
def outage(mode, label):
    print(f"scenario: PostgreSQL stop -m {mode}, 4 s down, start (under load)", flush=True)
    acks_before = ledger.acks
    stop_sent = time.monotonic()
    cluster.stop(mode)
    down = time.monotonic()
    time.sleep(4)
    # PostgreSQL takes connections a little before `pg_ctl start` returns: the outage is
    # checked up to the start command, the recovery timed from its return.
    starting = time.monotonic()
    cluster.start()
    back = time.monotonic()
    wait_for(lambda: poller.first_200_after(back) and ledger.first_ack_after(back), 30)
    polls = [p for p in poller.between(down, starting) if p[1] < starting]
    not_503 = [p for p in polls if p[2] != 503]
    slowest = max((p[1] - p[0] for p in polls), default=None)
    ready = poller.first_200_after(back)
    write = ledger.first_ack_after(back)
    note(f"{label}: pg_ctl stop took", secs(down - stop_sent))
    note(f"{label}: readiness polls during the outage (all 503?)",
         f"{len(polls)} polls, {len(not_503)} not 503 {[p[2] for p in not_503]}, slowest answer {secs(slowest)}")
    note(f"{label}: PostgreSQL back -> first ready 200", secs(ready - back if ready else None))
    note(f"{label}: PostgreSQL back -> first acknowledged write", secs(write - back if write else None))
    check(polls and not not_503, f"{label}: readiness answered 503 throughout the outage")
    check(ready is not None and ready - back <= READY_WITHIN,
          f"{label}: ready again within {READY_WITHIN:.0f} s of PostgreSQL being back")
    check(write is not None, f"{label}: writes succeed again after the outage")
    check(ledger.acks > acks_before, f"{label}: the load kept writing")


outage("fast", "1 restart -m fast")
time.sleep(2)
outage("immediate", "2 crash -m immediate")
time.sleep(2)


# --- 3: kill -9 mid-publish ------------------------------------------------------------------
def kill_server(label, busy, what):
    if not wait_for(busy, 30, every=0.001):
        check(False, f"{label}: {what} before the kill")
        return
    in_flight = busy()
    server.kill()
    killed = time.monotonic()
    startup = server.start()
    note(f"{label}: {what} at the kill", in_flight)
    note(f"{label}: kill -> ready again (restart included)", secs(time.monotonic() - killed))
    note(f"{label}: server start -> ready", secs(startup))


print("scenario: kill -9 of the server with publishes in flight", flush=True)
kill_server("3 kill -9 mid-publish", lambda: ledger.publishing, "publish requests in flight")
time.sleep(2)

# --- 4: kill -9 mid-newsletter-send -------------------------------------------------------------
print(f"scenario: kill -9 of the server while an issue goes to {subscribers} subscribers", flush=True)
story = next(i for i, s in list(ledger.acked.items()) if s["status"] == "published")
status, _ = call(server.base, "POST", "/api/v1/newsletters/fault-briefing/issues",
                 {"subject": "Fault briefing", "intro": "Sent while things break.", "article_ids": [story]}, token)
check(status == 201, "4: the issue was created")
sink.delay = 0.02


def send_request():
    try:
        call(server.base, "POST", "/api/v1/newsletters/fault-briefing/issues/1/send", None, token, timeout=300)
    except OSError:
        pass  # the kill cut the request off; the jobs loop finishes the issue


threading.Thread(target=send_request, daemon=True).start()
kill_server("4 kill -9 mid-newsletter-send", lambda: sink.count() >= subscribers // 3 and sink.count(),
            "emails already at the sink")
sink.delay = 0.0
sent_all = wait_for(lambda: cluster.scalar(
    "select count(*) from email_outbox where status in ('pending', 'sending')") == "0" and cluster.scalar(
    "select status from newsletter_issues where number = 1") == "sent", 150, every=1)
time.sleep(1)
mail = sink.snapshot()
expected = {row[0] for row in cluster.psql(
    "select lower(s.email) from subscribers s join subscriptions x on x.subscriber_id = s.id where x.status = 'confirmed'")}
# Emails a crash interrupted mid-send are not sent again (at most once); the progress
# counts them. Each may or may not have reached the sink before the kill.
interrupted = {row[0] for row in cluster.psql(
    "select lower(recipient) from email_outbox where kind = 'newsletter' and status = 'interrupted'")}
not_sent = {row[0] for row in cluster.psql(
    "select lower(recipient) from email_outbox where kind = 'newsletter' and status not in ('sent', 'interrupted')")}
per_recipient = collections.defaultdict(collections.Counter)
for rcpt, message_id, _ in mail:
    per_recipient[rcpt][message_id] += 1
missing = expected - set(per_recipient)
strangers = set(per_recipient) - expected
two_emails = [r for r, ids in per_recipient.items() if len(ids) > 1]
redelivered = sum(n - 1 for ids in per_recipient.values() for n in ids.values())
note("4: issue finished after the restart", sent_all)
note("4: emails at the sink / recipients", f"{len(mail)} / {len(expected)}")
note("4: emails interrupted mid-send (reported, not resent)", len(interrupted))
note("4: of those, missing at the sink", len(missing & interrupted))
note("4: recipients missing and not reported interrupted", len(missing - interrupted))
note("4: duplicate emails (a recipient got two different messages)", len(two_emails))
note("4: redeliveries (one message, same Message-ID, accepted twice)", redelivered)
check(sent_all, "4: the issue was sent after the restart")
check(not not_sent, "4: no issue email left unsent or failed")
check(not (missing - interrupted) and not strangers,
      "4: every recipient got the issue or is reported interrupted, and nobody else got it")
check(len(interrupted) <= 16, "4: at most one send batch (16) interrupted by the kill")
check(not two_emails and redelivered == 0, "4: no duplicate emails")

# --- 5: kill -9 mid-webhook-delivery ---------------------------------------------------------
print("scenario: kill -9 of the server while webhooks are being delivered (receiver slowed to 1 s)", flush=True)
receiver.delay = 1.0
kill_server("5 kill -9 mid-webhook-delivery", receiver.busy, "webhook requests in flight")
receiver.delay = 0.0
time.sleep(3)

# --- the load stops; the workers catch up ----------------------------------------------------
writers.finish()
note("writes acknowledged", ledger.acks)
note("writes without an answer or with a 5xx (outcome unknown)", ledger.unanswered)
note("articles written", len(ledger.acked))
settle_started = time.monotonic()
settled = wait_for(lambda: cluster.scalar(
    "select count(*) from outbox_events where delivered_at is null") == "0" and cluster.scalar(
    "select count(*) from webhook_deliveries where status = 'pending'") == "0", 150, every=1)
note("5: webhooks settled after the load stopped", f"{settled} in {secs(time.monotonic() - settle_started)}")
events = {row[0] for row in cluster.psql("select id from outbox_events")}
received = receiver.snapshot()
got = collections.Counter(e for e, _, _ in received)
note("5: outbox events / webhook requests received", f"{len(events)} / {len(received)}")
note("5: events never received", len(events - set(got)))
note("5: redeliveries (same event id again)", sum(n - 1 for n in got.values()))
failed = cluster.scalar("select count(*) from webhook_deliveries where status = 'failed'")
check(settled, "5: every outbox event was fanned out and every delivery settled")
check(events and not events - set(got), "5: every event reached the receiver at least once")
check(not set(got) - events, "5: every received id is an outbox event id (stable ids)")
check(failed == "0", f"5: no delivery failed for good (failed: {failed})")

# --- 6: SIGTERM drains an in-flight request --------------------------------------------------
print("scenario: SIGTERM while a PATCH waits for a row lock", flush=True)
target, target_state = next((i, s) for i, s in reversed(list(ledger.acked.items())) if i not in ledger.unsure)
holder = cluster.holder()
holder.stdin.write(f"begin; select id from articles where id = '{target}' for update;\n")
holder.stdin.flush()
locked = wait_for(lambda: cluster.scalar(
    "select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid "
    "where a.application_name = 'fault-holder' and l.mode = 'RowShareLock'") != "0", 30)
check(locked, "6: the row lock was taken")
answer = {}
change = {"headline": "Drained on shutdown"}


def patch():
    try:
        answer["status"], answer["body"] = call(server.base, "PATCH", f"/api/v1/articles/{target}", change, token,
                                                {"if-match": f'"{target_state["version"]}"'}, timeout=60)
    except OSError as err:
        answer["error"] = str(err)


patcher = threading.Thread(target=patch)
patcher.start()
check(wait_for(lambda: cluster.scalar("select count(*) from pg_stat_activity where application_name = "
                                     "'newsroom' and wait_event_type = 'Lock'") != "0", 30, every=0.05),
      "6: the PATCH was waiting for the lock before SIGTERM")
server.terminate()
time.sleep(1)
draining = server.running()
try:
    call(server.base, "GET", "/health/live", timeout=2)
    refuses_new = False
except OSError:
    refuses_new = True
holder.stdin.write("commit;\n")
holder.stdin.close()
holder.wait()
patcher.join(30)
exit_code = server.proc.wait(40)
note("6: server still draining 1 s after SIGTERM / refusing new connections", f"{draining} / {refuses_new}")
note("6: in-flight PATCH answered / server exit code", f"{answer.get('status', answer.get('error'))} / {exit_code}")
check(draining and answer.get("status") == 200, "6: the in-flight PATCH completed after SIGTERM")
check(exit_code == 0, "6: the server exited cleanly after draining")
if answer.get("status") == 200:
    ledger.ack(target, dict(target_state, version=target_state["version"] + 1, **change))
poller.stop.set()

# --- every acknowledged write, no half-published story ---------------------------------------
rows = {r[0]: {"version": int(r[1]), "headline": r[2], "body": r[3], "status": r[4]}
        for r in cluster.psql("select id, version, headline, body, status from articles")}
lost = [i for i, s in ledger.acked.items()
        if i not in rows or rows[i] not in (s, ledger.unsure.get(i, s))]
half = cluster.psql("""
select a.id from articles a
where (a.status = 'published' and (a.published_at is null or a.first_published_at is null
       or not exists (select 1 from article_revisions r where r.article_id = a.id and r.action = 'publish')
       or not exists (select 1 from audit_entries u where u.entity_id = a.id and u.action = 'article.publish')
       or not exists (select 1 from outbox_events e where e.article_id = a.id and e.event_type = 'article.published')))
   or (a.status <> 'published' and exists (select 1 from outbox_events e where e.article_id = a.id))
   or (select count(*) from article_revisions r where r.article_id = a.id) <> a.version""")
published = cluster.scalar("select count(*) from articles where status = 'published'")
note("acknowledged writes lost (article not in its last acknowledged state)", len(lost))
note("published stories / half-published", f"{published} / {len(half)}")
note("unexpected 4xx answers to the load", len(ledger.refused))
check(not lost, f"no acknowledged write lost {lost[:5]}")
check(not half, f"no half-published story {half[:5]}")
check(not ledger.refused, f"the load got no unexpected 4xx {ledger.refused[:3]}")
cluster.stop("fast")

total = time.monotonic() - began
print("\n| Measure | Value |\n|---|---|")
for measure, value in figures + [("whole run (after the build)", secs(total))]:
    print(f"| {measure} | {value} |")
print(f"\n{len(failures)} check(s) failed" + "".join(f"\n- {f}" for f in failures))
sys.exit(1 if failures else 0)
