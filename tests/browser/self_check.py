#!/usr/bin/env python3
"""The self-check page in headless Chromium, opened from file:// as a school opens it.

Usage: self_check.py PAGE SUMMARY_JSON FILE...

Loads FILE... into the page's file input (WebDriver, through chromedriver), waits for the
check, and requires that #ket-qua lists exactly the problems the office's run reported for
the schools of those files (SUMMARY_JSON, bar the district-wide ones), and that the page made
no network request. Prints the page's own time for the check and its size. Standard library
only: chromedriver speaks HTTP.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

DISTRICT_CODES = {"missing_submission", "missing_staff_list"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]

    def start(self, profile):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"performance": "ALL"},
            "goog:chromeOptions": {
                "binary": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", f"--user-data-dir={profile}"],
            },
        }}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def s(self, path):
        return f"/session/{self.session}{path}"

    def script(self, code):
        return self.call("POST", self.s("/execute/sync"), {"script": code, "args": []})


def expected_problems(summary, schools):
    rows = []
    for i in summary["issues"]:
        if i.get("school") in schools and i["code"] not in DISTRICT_CODES:
            rows.append([os.path.basename(i["file"]), i["row"], i["code"], i["message"]])
    return rows


def main():
    page, summary_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    summary = json.load(open(summary_path, encoding="utf-8"))
    port = free_port()
    driver_proc = subprocess.Popen([os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"),
                                    f"--port={port}"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    try:
        d = Driver(port)
        for _ in range(100):
            try:
                d.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as profile:
            d.start(profile)
            url = "file://" + os.path.abspath(page)
            d.call("POST", d.s("/url"), {"url": url})
            wait(d, {"ready"})
            found = d.call("POST", d.s("/element"),
                           {"using": "css selector", "value": "#tep-input"})
            element = next(iter(found.values()))
            paths = "\n".join(os.path.abspath(f) for f in files)
            d.call("POST", d.s(f"/element/{element}/value"), {"text": paths})
            wait(d, {"done"})
            got = d.script("""return Array.from(document.querySelectorAll('#ket-qua tr[data-code]'))
                .map(r => [r.dataset.file, r.dataset.row === '' ? null : Number(r.dataset.row),
                           r.dataset.code, r.dataset.message]);""")
            schools = d.script("""return Array.from(document.querySelectorAll('#tom-tat li'))
                .map(li => li.textContent);""")
            ms = d.script("return Number(document.body.dataset.ms);")
            status = d.script("return document.getElementById('trang-thai').textContent;")
            if os.environ.get("SCREENSHOT"):
                d.call("POST", d.s("/window/rect"), {"width": 1100, "height": 1800})
                png = d.call("GET", d.s("/screenshot"))
                open(os.environ["SCREENSHOT"], "wb").write(__import__("base64").b64decode(png))
            log = d.call("POST", d.s("/se/log"), {"type": "performance"})
            resources = d.script("return performance.getEntriesByType('resource').length;")
            d.call("DELETE", d.s(""))
    finally:
        driver_proc.kill()
    codes = set(re_codes(schools))
    want = expected_problems(summary, codes)
    failures = []
    if sorted(map(json.dumps, got)) != sorted(map(json.dumps, want)):
        failures.append("problems differ:\n page: %s\n run:  %s" % (
            json.dumps(got, ensure_ascii=False), json.dumps(want, ensure_ascii=False)))
    requests = [json.loads(e["message"])["message"] for e in log]
    urls = [m["params"]["request"]["url"] for m in requests
            if m["method"] == "Network.requestWillBeSent"]
    # Chromium's own start page comes before: what counts is what follows the page's load.
    after = urls[urls.index(url) + 1:] if url in urls else urls
    outside = after + [u for u in urls if not u.startswith(("chrome://", "data:", "file://"))]
    if outside or resources:
        failures.append(f"the page made network requests: {outside}")
    if len(codes) != len({os.path.basename(f) for f in files}) and not codes:
        failures.append("no file was matched to a school")
    print(f"page {os.path.getsize(page) / 1e6:.1f} MB; {len(files)} files of schools "
          f"{sorted(codes)}; {len(got)} problems listed, as the run's; checked in {ms} ms; "
          f"requests after the page's own load: {len(after)}")
    print(f"status: {status}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)


def re_codes(lines):
    """Registry codes the page names in its summary ("…(TH001).")."""
    import re
    for line in lines:
        for m in re.finditer(r"\(([A-Z]+[0-9]+)\)\.$", line):
            yield m.group(1)


def wait(d, states, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        state = d.script("return document.body.dataset.state;")
        if state in states:
            return
        if state == "broken":
            raise SystemExit("the page says it cannot run")
        time.sleep(0.05)
    raise SystemExit(f"the page never reached {states}")


if __name__ == "__main__":
    main()
