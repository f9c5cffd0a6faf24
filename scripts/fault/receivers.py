"""The two outside parties of the fault test, in threads of the test's own process (standard
library only): an SMTP sink that records every accepted message's recipient and Message-ID,
and a webhook receiver that records every event id it is sent and can be made slow.

Both only record; the checks are in `run.py`.
"""

import asyncio
import http.server
import json
import re
import threading
import time

MESSAGE_ID = re.compile(rb"^message-id:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    """Speaks enough SMTP for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on any number
    of connections; `delay` seconds are waited before each message is taken."""

    def __init__(self, port, delay=0.0):
        self.port = port
        self.delay = delay
        self.lock = threading.Lock()
        self.messages = []  # (recipient, message id, time accepted)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(10)

    def count(self):
        with self.lock:
            return len(self.messages)

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._session, "127.0.0.1", self.port))
        self.ready.set()
        self.loop.run_forever()
        server.close()

    async def _session(self, reader, writer):
        def reply(line):
            writer.write(line.encode() + b"\r\n")

        reply("220 fault.sink ESMTP ready")
        recipients = []
        try:
            while True:
                raw = await reader.readline()
                if not raw:
                    break
                verb = raw[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-fault.sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n")
                elif verb == b"HELO":
                    reply("250 fault.sink")
                elif verb == b"MAIL":
                    recipients = []
                    reply("250 2.1.0 OK")
                elif verb == b"RCPT":
                    address = raw.decode("latin-1").strip()[8:].strip().strip("<>").lower()
                    recipients.append(address)
                    reply("250 2.1.5 OK")
                elif verb == b"DATA":
                    # The delay comes before the message is taken: a client that dies meanwhile
                    # has not delivered it (a message counts once the final dot is read).
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    lines = []
                    while True:
                        data = await reader.readline()
                        if not data:
                            return
                        if data in (b".\r\n", b".\n"):
                            break
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    found = MESSAGE_ID.search(b"".join(lines))
                    message_id = found.group(1).decode() if found else None
                    with self.lock:
                        for rcpt in recipients:
                            self.messages.append((rcpt, message_id, time.time()))
                    recipients = []
                    reply("250 2.0.0 OK queued")
                elif verb in (b"RSET", b"NOOP"):
                    reply("250 2.0.0 OK")
                elif verb == b"QUIT":
                    reply("221 2.0.0 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 5.5.2 Command not implemented")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


class WebhookReceiver:
    """Answers every POST with 204 after `delay` seconds and records the event id of its
    body (`id`) and the `X-Newsroom-Delivery` header; `in_flight` counts requests being
    answered."""

    def __init__(self, port):
        self.port = port
        self.delay = 0.0
        self.lock = threading.Lock()
        self.received = []  # (event id, delivery id, time)
        self.in_flight = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                with receiver.lock:
                    receiver.in_flight += 1
                try:
                    body = self.rfile.read(int(self.headers.get("content-length", "0")))
                    time.sleep(receiver.delay)
                    event = json.loads(body).get("id")
                    with receiver.lock:
                        receiver.received.append(
                            (event, self.headers.get("x-newsroom-delivery"), time.time()))
                    self.send_response(204)
                    self.send_header("content-length", "0")
                    self.end_headers()
                except (ConnectionError, ValueError):
                    pass  # the server died mid-request, or sent a body that is not JSON
                finally:
                    with receiver.lock:
                        receiver.in_flight -= 1

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def busy(self):
        with self.lock:
            return self.in_flight

    def snapshot(self):
        with self.lock:
            return list(self.received)
