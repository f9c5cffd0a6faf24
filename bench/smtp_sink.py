#!/usr/bin/env python3
"""A small SMTP sink for the newsletter benchmark (standard library only, asyncio).

It speaks enough SMTP for lettre's client: EHLO/HELO, MAIL, RCPT, DATA (dot-unstuffed, the
message is thrown away), RSET, NOOP, QUIT, on any number of connections at once. It counts
accepted messages and records when the first and the last one arrived.

    python3 bench/smtp_sink.py --port 2525 [--host 127.0.0.1] [--stats FILE]

With --stats it rewrites FILE (JSON: count, first, last as Unix times, bytes) at most every
0.2 s, when messages arrived since, and once more on exit (SIGTERM or SIGINT). On exit it also
prints the count to standard output.
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import time


class Sink:
    def __init__(self, stats_path):
        self.count = 0
        self.bytes = 0
        self.first = None
        self.last = None
        self.stats_path = stats_path
        self.written_at = 0.0

    def accepted(self, size):
        now = time.time()
        if self.first is None:
            self.first = now
        self.last = now
        self.count += 1
        self.bytes += size
        if self.stats_path and now - self.written_at >= 0.2:
            self.write()

    def write(self):
        if not self.stats_path:
            return
        self.written_at = time.time()
        tmp = self.stats_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"count": self.count, "first": self.first, "last": self.last,
                       "bytes": self.bytes}, f)
        os.replace(tmp, self.stats_path)

    async def session(self, reader, writer):
        def reply(line):
            writer.write(line.encode() + b"\r\n")

        reply("220 bench.sink ESMTP ready")
        sender, recipients = None, []
        try:
            while True:
                raw = await reader.readline()
                if not raw:
                    break
                line = raw.decode("latin-1").rstrip("\r\n")
                verb = line[:4].upper()
                if verb == "EHLO":
                    writer.write(b"250-bench.sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n"
                                 b"250-SMTPUTF8\r\n250 SIZE 52428800\r\n")
                elif verb == "HELO":
                    reply("250 bench.sink")
                elif verb == "MAIL":
                    sender, recipients = line[5:], []
                    reply("250 2.1.0 OK")
                elif verb == "RCPT":
                    if sender is None:
                        reply("503 5.5.1 MAIL first")
                    else:
                        recipients.append(line[5:])
                        reply("250 2.1.5 OK")
                elif verb == "DATA":
                    if not recipients:
                        reply("503 5.5.1 RCPT first")
                        continue
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    size = 0
                    while True:
                        data = await reader.readline()
                        if not data:
                            return
                        if data in (b".\r\n", b".\n"):
                            break
                        if data.startswith(b".."):
                            data = data[1:]  # dot-unstuffing (RFC 5321 4.5.2)
                        size += len(data)
                    self.accepted(size)
                    sender, recipients = None, []
                    reply("250 2.0.0 OK queued")
                elif verb == "RSET":
                    sender, recipients = None, []
                    reply("250 2.0.0 OK")
                elif verb == "NOOP":
                    reply("250 2.0.0 OK")
                elif verb == "QUIT":
                    reply("221 2.0.0 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 5.5.2 Command not implemented")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass  # the client went away, or the sink is stopping
        finally:
            writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--stats", help="JSON file with the count, first and last times")
    args = parser.parse_args()
    sink = Sink(args.stats)
    server = await asyncio.start_server(sink.session, args.host, args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sink.write()

    async def flush():
        # The last messages of a burst are written out even when no more arrive.
        while True:
            await asyncio.sleep(0.2)
            if sink.last and sink.last > sink.written_at:
                sink.write()

    flusher = asyncio.create_task(flush())
    async with server:
        await stop.wait()
    flusher.cancel()
    sink.write()
    print(sink.count, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
