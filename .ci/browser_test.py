#!/usr/bin/env python3
"""Drives headless Chromium through chromedriver (W3C WebDriver, standard library only)
against a running connect2030 server, with every non-local host blocked, and checks what a
reader sees on the dashboard, a target page and a country page.

Usage: browser_test.py SERVER_URL DRIVER_URL SCREENSHOT_DIR
"""

import base64
import json
import os
import sys
import tempfile
import urllib.parse
import urllib.request

SERVER, DRIVER, SHOTS = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3]
HOST = urllib.parse.urlparse(SERVER).netloc
FAILURES = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        FAILURES.append(message)


def http(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read() or b"null")


def api(path, language="en"):
    return http("GET", SERVER + path, headers={"Accept-Language": language})


class Browser:
    def __init__(self, javascript=True):
        self.profile = tempfile.mkdtemp(prefix="c2030-chromium-")
        prefs = {} if javascript else {"profile.managed_default_content_settings.javascript": 2}
        options = {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + self.profile,
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=1280,1600", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                "--disable-sync", "--disable-extensions", "--disable-domain-reliability",
                "--disable-client-side-phishing-detection", "--disable-breakpad", "--metrics-recording-only",
                "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
            ],
            "prefs": prefs,
        }
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options,
                        "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}}
        answer = http("POST", DRIVER + "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = DRIVER + "/session/" + answer["value"]["sessionId"]

    def go(self, path):
        http("POST", self.session + "/url", {"url": SERVER + path})

    def run(self, script, *args):
        return http("POST", self.session + "/execute/sync", {"script": script, "args": list(args)})["value"]

    def find(self, selector):
        return http("POST", self.session + "/elements", {"using": "css selector", "value": selector})["value"]

    def logs(self, kind):
        return http("POST", self.session + "/se/log", {"type": kind})["value"]

    def screenshot(self, name):
        metrics = self.run("return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        shot = http("POST", self.session + "/goog/cdp/execute", {"cmd": "Page.captureScreenshot", "params": {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": metrics[0], "height": min(metrics[1], 6000), "scale": 1}}})
        path = os.path.join(SHOTS, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["value"]["data"]))
        print("     screenshot " + path)

    def requests(self):
        """Every URL the browser asked for since the last call (from the performance log)."""
        urls = []
        for entry in self.logs("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def close(self):
        http("DELETE", self.session)


def page_weight(browser):
    return browser.run("""
        const nav = performance.getEntriesByType('navigation')[0];
        return performance.getEntriesByType('resource').reduce((n, r) => n + r.decodedBodySize, nav.decodedBodySize);
    """)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    overview = api("/api/v1/progress")
    statuses = {t["id"]: t["progress"]["assessment"]["status"] for g in overview["goals"] for t in g["targets"]}
    world = api("/api/v1/progress/targets/1.2")["headline"]["series"]
    target_ids = [t["id"] for t in api("/api/v1/targets")["targets"]]
    goals_zh = [g["name"] for g in api("/api/v1/goals", "zh")["goals"]]

    browser = Browser()
    every_request = []
    try:
        browser.go("/")
        tiles = browser.run("""return [...document.querySelectorAll('li.tile')].map(t =>
            [t.dataset.target, t.dataset.status, t.querySelector('.status').textContent.trim()])""")
        check(len(tiles) == 24, f"the dashboard shows 24 target tiles ({len(tiles)})")
        check({t[0]: t[1] for t in tiles} == statuses, "tile statuses equal GET /api/v1/progress")
        check(all(t[2] for t in tiles), "every status is written in words")
        check(page_weight(browser) < 200_000, f"dashboard weighs {page_weight(browser)} bytes (< 200 KB)")
        browser.screenshot("dashboard.png")
        every_request += browser.requests()

        browser.go("/targets/1.2")
        years = browser.run("""return [...document.querySelectorAll('figure.main-chart svg circle.point')]
            .map(c => parseInt(c.querySelector('title').textContent))""")
        check(years == [p["year"] for p in world], f"the target chart draws one point per year of the world series ({len(years)})")
        check(browser.run("return document.querySelectorAll('.main-chart svg line.target').length") == 1, "target line drawn")
        rows = browser.run("return document.querySelectorAll('#country-table tbody tr').length")
        check(rows > 190, f"the country table lists every country ({rows})")
        browser.run("document.querySelectorAll('#country-table th button')[1].click()")
        first = browser.run("""return [...document.querySelectorAll('#country-table tbody tr')]
            .map(r => r.cells[1].dataset.sort).filter(v => v !== '').map(Number)""")
        check(first == sorted(first), "sorting by the last reported value orders the rows")
        check(page_weight(browser) < 200_000, f"target page weighs {page_weight(browser)} bytes (< 200 KB)")
        browser.screenshot("target.png")
        every_request += browser.requests()

        browser.go("/countries/KEN")
        listed = browser.run("return [...document.querySelectorAll('#target-table tbody tr')].map(r => r.dataset.target)")
        check(listed == target_ids, f"the country page lists every target ({len(listed)})")
        browser.screenshot("country.png")
        every_request += browser.requests()

        browser.go("/?lang=zh")
        headings = browser.run("return [...document.querySelectorAll('section.goal h2')].map(h => h.textContent)")
        check(len(headings) == 5 and all(name in h for name, h in zip(goals_zh, headings)),
              f"the Chinese page shows the Chinese goal names {goals_zh}")
        browser.screenshot("dashboard-zh.png")
        every_request += browser.requests()

        errors = [entry for entry in browser.logs("browser") if entry["level"] == "SEVERE"]
        check(not errors, f"no console errors {errors}")
        resources = browser.run("return performance.getEntriesByType('resource').map(r => r.name)")
        # Browser-internal pages (chrome://, data:) never touch the network; anything else
        # must go to the server under test.
        network = [u for u in every_request + resources if urllib.parse.urlparse(u).scheme not in ("chrome", "data")]
        outside = [u for u in network if urllib.parse.urlparse(u).netloc != HOST]
        check(not outside and len(network) >= 8, f"no request leaves {HOST} ({len(network)} requests): {outside}")
    finally:
        browser.close()

    # Without JavaScript the tiles, tables and charts are all there (they are server-rendered);
    # the sort buttons the script adds are not, which shows the script did not run.
    plain = Browser(javascript=False)
    try:
        plain.go("/")
        check(len(plain.find("li.tile")) == 24, "without JavaScript: 24 tiles")
        plain.go("/targets/2.2.A")
        check(len(plain.find("figure.main-chart svg circle.point")) > 20, "without JavaScript: the chart")
        check(len(plain.find("#country-table tbody tr")) > 100, "without JavaScript: the country table")
        check(not plain.find("#country-table th button"), "without JavaScript: the script did not run")
    finally:
        plain.close()

    if FAILURES:
        print(f"{len(FAILURES)} browser check(s) failed")
        sys.exit(1)
    print("browser: all checks passed")


if __name__ == "__main__":
    main()
