#!/usr/bin/env python3
"""Drives the real pages in headless Chromium: sign-in and every page, a screenshot of each.

Seeds a throwaway installation with the `rapport` operator commands, starts
`rapport serve`, and walks the pages with Playwright driving Debian's
chromium. Fails on a console error (a CSP violation is one), a page error, a
missing expected figure, or an XSS probe that runs; prints each page's server
time (the Server-Timing header). Screenshots go to .cache/screenshots/.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone

from playwright.sync_api import sync_playwright

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RAPPORT = os.path.join(ROOT, ".build", "debug", "rapport")
SHOTS = os.path.join(ROOT, ".cache", "screenshots")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
XSS_ACCOUNT = "<script>window.__xss=1</script> \"Quoted\" Ltd"
XSS_SEGMENT = "\"><img src=x onerror=\"window.__xss=2\">"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Installation:
    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="rapport-browser-")
        os.chmod(self.folder, 0o755)
        self.env = dict(os.environ, RAPPORT_DATA_DIR=self.folder, RAPPORT_LOG_LEVEL="warning")
        for key in [k for k in self.env if k.endswith("_DATABASE_URL")]:
            del self.env[key]
        self.server = None

    def rapport(self, *arguments, check=True):
        result = subprocess.run([RAPPORT, *arguments], env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise SystemExit(f"rapport {' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result.stdout.strip()

    def seed(self):
        self.rapport("db", "start")
        self.rapport("migrate")
        self.rapport("tenant", "create", "--name", "Browser Org", "--domain", "browser.example")
        self.rapport("environment", "create", "--tenant", "Browser Org", "--name", "Sales EU", "--region", "eu")
        self.admin_key = self.rapport("key", "create", "--tenant", "Browser Org", "--email", "ada@browser.example", "--role", "owner")
        self.o365_key = self.rapport("key", "create", "--tenant", "Browser Org", "--email", "it@browser.example", "--role", "o365_admin")
        self.rapport("licence", "set", "--tenant", "Browser Org", "--status", "active", "--seats", "50", "--expires", "2099-12-31")
        self.rapport("dataverse", "attach", "--tenant", "Browser Org", "--environment", "Sales EU",
                     "--url", "https://browser.crm4.dynamics.com", "--organization-id", "6f1c2b8e-0000-4000-8000-000000000001")
        accounts = os.path.join(self.folder, "accounts.csv")
        contacts = os.path.join(self.folder, "contacts.csv")
        activity = os.path.join(self.folder, "activity.ndjson")
        directory = os.path.join(self.folder, "directory.json")
        names = [XSS_ACCOUNT] + [f"Account {i:02d}" for i in range(1, 32)]
        with open(accounts, "w") as f:
            f.write("accountid,name,websiteurl\n")
            for i, name in enumerate(names):
                f.write(f"A{i:02d},\"{name.replace(chr(34), chr(34) * 2)}\",account{i:02d}.example\n")
        with open(contacts, "w") as f:
            f.write("contactid,parentcustomerid,emailaddress1\n")
            for i in range(len(names)):
                f.write(f"C{i:02d},A{i:02d},buyer@account{i:02d}.example\n")
        now = datetime.now(timezone.utc)
        with open(activity, "w") as f:
            for i in range(len(names)):
                for n in range(1 + (len(names) - i) // 4):
                    sent = (now - timedelta(days=3 + 11 * n + i)).strftime("%Y-%m-%dT%H:%M:%SZ")
                    reply = (now - timedelta(days=3 + 11 * n + i) + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
                    f.write(json.dumps({"kind": "email", "message_id": f"m{i}-{n}@browser", "from": "u1@browser.example",
                                        "to": [f"buyer@account{i:02d}.example"], "sent_at": sent}) + "\n")
                    f.write(json.dumps({"kind": "email", "message_id": f"r{i}-{n}@browser", "from": f"buyer@account{i:02d}.example",
                                        "to": ["u1@browser.example"], "sent_at": reply, "in_reply_to": [f"m{i}-{n}@browser"]}) + "\n")
                start = (now - timedelta(days=5 + i)).strftime("%Y-%m-%dT%H:%M:%SZ")
                end = (now - timedelta(days=5 + i) + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M:%SZ")
                f.write(json.dumps({"kind": "meeting", "uid": f"meet-{i}", "organizer": "u2@browser.example", "start": start, "end": end,
                                    "attendees": [{"address": f"buyer@account{i:02d}.example", "partstat": "ACCEPTED"}]}) + "\n")
        with open(directory, "w") as f:
            json.dump({"users": [{"id": f"u{i}", "mail": f"u{i}@browser.example", "display_name": f"User {i}"} for i in (1, 2, 3)],
                       "groups": [{"id": "g1", "display_name": "Sales", "members": ["u1", "u2"]}]}, f)
        self.rapport("import", "--tenant", "Browser Org", "--environment", "Sales EU", accounts, contacts, activity)
        self.rapport("directory", "import", "--tenant", "Browser Org", directory)

    def serve(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        log = open(os.path.join(self.folder, "serve.log"), "w")
        self.server = subprocess.Popen([RAPPORT, "serve", "--port", str(self.port)], env=self.env, stdout=log, stderr=log)
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except Exception:
                time.sleep(0.2)
        raise SystemExit("rapport serve did not become ready; see " + log.name)

    def api(self, method, path, key, body=None):
        request = urllib.request.Request(self.base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def close(self):
        if self.server:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
        self.rapport("db", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    installation = Installation()
    failures = []
    timings = []
    try:
        installation.seed()
        installation.serve()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            console_errors = []
            page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
            page.on("pageerror", lambda error: console_errors.append(str(error)))
            page.on("dialog", lambda dialog: (console_errors.append("a dialog opened: " + dialog.message), dialog.dismiss()))

            def visit(name, path=None, expect=(), phone=False):
                if path is not None:
                    response = page.goto(installation.base + path)
                    timing = response.headers.get("server-timing", "") if response else ""
                    timings.append((name, timing))
                for text in expect:
                    if text not in page.content():
                        failures.append(f"{name}: expected {text!r} on the page")
                if page.evaluate("() => window.__xss") is not None:
                    failures.append(f"{name}: an XSS probe ran")
                if phone:
                    page.set_viewport_size({"width": 390, "height": 844})
                page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
                if phone:
                    page.set_viewport_size({"width": 1440, "height": 900})

            visit("01-signin", "/ui/signin", ["API key"])
            page.fill("#key", installation.admin_key)
            page.click("button:has-text('Sign in')")
            page.wait_for_url("**/ui")
            visit("02-home", None, ["Sales EU"])
            environment = page.get_attribute("a:has-text('Sales EU')", "href")
            visit("03-overview", environment, ["office365_licence", "dataverse_attached", "Not configured yet"], phone=True)

            page.goto(installation.base + environment + "/configure")
            page.fill("#addresses", "u3@browser.example")
            page.fill("#groups", "Sales")
            page.check("input[name=agreed]")
            page.fill("#name", "Office 365 engagement")
            visit("04-configure", None, ["I agree"])
            page.click("button:has-text('Save')")
            page.wait_for_url("**" + environment + "?notice=*")
            visit("05-overview-saved", None, ["Saved: 3 mailboxes", "requested"])

            installation.api("POST", f"/v1/tenants/{tenant_id(installation)}/consent", installation.o365_key, {"decision": "grant"})
            page.goto(installation.base + environment)
            page.click("button:has-text('Run now')")
            page.wait_for_url("**/runs/*")
            visit("06-progress-queued", None, ["resolve mailboxes", "refreshes itself"])
            installation.rapport("worker", "--region", "eu", "--once")
            visit("07-progress-done", page.url.replace(installation.base, ""), ["succeeded", "publish"])

            visit("08-results", environment + "/results", ["enriched-customers\">32<", "Enriched customers per run", "NoOfEmails_ToAccount", "<td>Account 01</td>", "See more"])
            page.click("a:has-text('See more')")
            visit("09-results-more", None, ["rows 26–32 of 32"])
            page.goto(installation.base + environment + "/results")
            page.click("th a:has-text('AccountId')")
            visit("10-results-sorted", None, ["AccountId ↓"], phone=True)
            visit("11-card", environment + "/accounts/A00", ["Why this score", "reply_latency", "Email and meeting history", "&lt;script&gt;"])

            page.goto(installation.base + environment + "/segments")
            page.fill("#name", XSS_SEGMENT)
            page.fill("#expression", "EngagementScore >= 50")
            page.click("button:has-text('Create')")
            page.wait_for_url("**/segments/*")
            visit("12-segment", None, ["Members (", "Size of"])
            visit("13-segments", environment + "/segments", ["Stale accounts", "Single-threaded accounts", "Rising accounts"])

            page.goto(installation.base + environment + "/measures")
            page.fill("#name", "Average score")
            page.select_option("#function", "AVG")
            page.select_option("#column", "EngagementScore")
            page.click("button:has-text('Create')")
            page.wait_for_url("**/measures")
            visit("14-measures", None, ["Average score", "per month"])
            visit("15-runs", environment + "/runs", ["succeeded"])
            page.click("button:has-text('Sign out')")
            page.wait_for_url("**/ui/signin")
            if console_errors:
                failures.extend("console: " + error for error in console_errors)
            browser.close()
    finally:
        installation.close()
    for name, timing in timings:
        print(f"{name:24} server time {timing or 'n/a'}")
    print(f"screenshots in {SHOTS}")
    if failures:
        print("\n".join("FAIL " + failure for failure in failures))
        sys.exit(1)
    print(f"browser test passed: {len(timings)} page loads, {len(os.listdir(SHOTS))} screenshots")


def tenant_id(installation):
    return installation.rapport("tenant", "list").split()[0]


if __name__ == "__main__":
    main()
