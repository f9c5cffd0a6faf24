"""Largest contentful paint of reader pages in headless Chromium (issue #18: <= 1.0 s on
localhost). Speaks WebDriver to Debian's chromedriver over plain HTTP (no client library):
each round is a new browser (a cold cache, as a first visit), opens the page, and reads the
LCP entry and what was transferred from the Performance API. Prints one Markdown row per page
with the median and the worst of ROUNDS rounds.

    python3 bench/site_lcp.py http://127.0.0.1:18097 / /dawn/some-story

Settings: ROUNDS (default 7), CHROMEDRIVER (default /usr/bin/chromedriver), CHROMIUM
(default /usr/bin/chromium), WIDTH (default 1280; 375 for a phone)."""
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

LCP = """
const done = arguments[arguments.length - 1];
new PerformanceObserver((list) => {
  const entries = list.getEntries();
  const last = entries[entries.length - 1];
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  done({
    lcp: last.startTime,
    element: last.element ? last.element.tagName : null,
    transferred: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
    scripts: resources.filter(r => r.initiatorType === 'script').length,
  });
}).observe({ type: 'largest-contentful-paint', buffered: true });
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(driver, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(driver + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as res:
        return json.load(res)["value"]


def measure(driver, url, width):
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},900"],
        },
    }}}
    session = call(driver, "POST", "/session", caps)["sessionId"]
    try:
        call(driver, "POST", f"/session/{session}/url", {"url": url})
        return call(driver, "POST", f"/session/{session}/execute/async", {"script": LCP, "args": []})
    finally:
        call(driver, "DELETE", f"/session/{session}")


def main():
    base, pages = sys.argv[1].rstrip("/"), sys.argv[2:] or ["/"]
    rounds = int(os.environ.get("ROUNDS", "7"))
    width = int(os.environ.get("WIDTH", "1280"))
    port = free_port()
    chromedriver = subprocess.Popen([os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"),
                                     f"--port={port}"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
    driver = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                call(driver, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        print(f"Largest contentful paint, headless Chromium at {width} px, a new browser per round, "
              f"{rounds} rounds (budget 1,000 ms).\n")
        print("| page | LCP median ms | LCP worst ms | element | transferred bytes | scripts | met |")
        print("|---|---:|---:|---|---:|---:|---|")
        for page in pages:
            runs = [measure(driver, base + page, width) for _ in range(rounds)]
            lcps = [r["lcp"] for r in runs]
            last = runs[-1]
            met = "yes" if max(lcps) <= 1000 else "no"
            print(f"| {page} | {statistics.median(lcps):.0f} | {max(lcps):.0f} | {last['element']} | "
                  f"{last['transferred']} | {last['scripts']} | {met} |")
    finally:
        chromedriver.terminate()


if __name__ == "__main__":
    main()
