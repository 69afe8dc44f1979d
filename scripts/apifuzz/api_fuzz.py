#!/usr/bin/env python3
"""API fuzzing of `rapport serve` with schemathesis (issue 14: no request may take the server down).

    python3 scripts/apifuzz/api_fuzz.py [--rapport .build/debug/rapport] [--seconds 240] [--seed N]
    make api-fuzz [API_FUZZ_SECONDS=240] [API_FUZZ_SEED=N]

What it does
------------
1. Copies the binary and sql/ to a private temporary folder (the checkout's
   .build may be rebuilt meanwhile) and runs the copy with its own
   RAPPORT_DATA_DIR there: `rapport db start` (a private cluster on a Unix
   socket; as root it runs as the postgres user) and `rapport migrate`.
   Graph and SMTP point at closed loopback ports, so nothing leaves the machine.
2. Seeds two tenants, Alpha (A) and Beta (B), through the CLI and the API:
   environments in uk, eu and na; a key for every role (owner, o365_admin,
   and admin, contributor, viewer on the EU environment) plus a sacrificial
   viewer whose key and role assignment may be deleted; an active licence;
   Dataverse attached; accounts.csv/contacts.csv and an NDJSON activity file
   imported; a directory; the enrichment saved, consent granted, a run queued
   and executed by `rapport worker --region eu --once`, so results, a customer
   card, runs and their mailboxes exist; two segments (beside the three
   ready-made ones) and two measures; a Graph app registration. An operator key is made with `rapport key operator`.
3. Starts `rapport serve --port P` (a free port) and waits for /health/ready.
4. Takes /openapi.json from the server and patches a copy (see "Choices").
5. Runs `st run` (schemathesis, all four phases: examples, coverage, fuzzing,
   stateful; positive and negative data) once per pass, each with its own
   share of the time budget (`--max-time`, and a hard stop), in this order:
      cross-tenant   A's owner key, path ids mostly B's (and A's tenant with B's
                     environment, …): none may be 2xx, and a non-404 must be what
                     an id that names nothing gets
      A viewer, A admin, A contributor, A owner  (each: path ids mostly A's, a few B's)
      B owner        path ids mostly B's, a few A's
      operator       the operator routes (/v1/tenants, bootstrap, /v1/outbox), the
                     routes without a key (pages, health, metrics), and the rest
      anonymous      no key, a malformed key, or a revoked key, on every route
      edge probes    ~50 hand-made requests with A's owner key and raw sockets (see
                     edge_probes: bodies over the limit, a gzip bomb, truncated gzip,
                     100,000-deep JSON, huge lines, ids and headers, Int64 extremes,
                     malformed HTTP/1.1, a TLS hello, an HTTP/2 preface)
      A o365_admin   last, because it may withdraw consent (see below)
   Each role pass fuzzes the routes its role may use; the other routes get a
   few cases each (their 403 and its shape). Before each pass the fixture is
   restored (licence, Dataverse, customer data through the CLI), every
   harness key is checked (re-created if a pass managed to revoke it, which
   is reported) and the sacrificial key and assignment are re-made if gone.
6. Checks every response (scripts/apifuzz/apifuzz_hooks.py): no 5xx; the error
   shape on every 4xx JSON response (and JSON at all on a /v1 4xx); the
   process alive (GET /health/live = 200) after every request; for a path
   naming the other tenant's ids, no 2xx, and a non-404 answer only when the
   same request with an unknown id gets the same (else it tells the id
   exists); no 2xx on a /v1 write with the viewer's key; no 2xx on /v1 without
   a valid key; no answer at all (a reset, a 10 s timeout) is a failure too.
   A watcher also polls the server process: if it dies, the pass is stopped,
   the crash recorded with the last requests and the server's log, and the
   server restarted for the next pass.
7. Prints a summary (requests per pass and key, statuses, each edge probe's
   answer, each distinct failure with a reproduction), writes it with up to
   three failing requests per distinct failure and each pass's schemathesis
   output to .cache/apifuzz/ (`--report-dir`), and exits 1 on any failure (2
   when the harness itself failed). The server and the cluster are always stopped and
   the temporary folder removed, on failure and on Ctrl-C too.

Choices
-------
* Routes that would destroy the fixture mid-run: there is no tenant DELETE.
  Consent withdrawal (DELETE …/consent, o365_admin only) deletes every result
  and activity of the tenant, so the o365_admin pass runs last; the other
  passes send it too, where it must be 403/404. A DELETE of a harness key or
  of a harness role assignment (the stateful phase finds their ids in GET
  …/keys and …/role-assignments) is pointed at the sacrificial one instead.
  Writes that change the fixture (customer data replaced by fuzzed rows, the
  licence set to expired, Dataverse detached, segments deleted, the directory
  replaced, runs queued) are allowed; the fixture is restored between passes,
  and there are several segments, so later passes still reach real objects.
* No worker runs during the fuzzing, so queued runs stay queued (and a second
  "Run now" is a 409); Graph points at a closed port.
* Path parameters are substituted in `before_call` from pools of real ids,
  chosen by a hash of the generated value (deterministic for a seed): about
  80% own ids, 5% the other tenant's, the rest as generated (malformed or
  unknown ids, which must be 404/400); the cross-tenant pass uses 15% own,
  70% foreign. Substituting there rather than with schemathesis' parameter
  dictionaries keeps the real ids in negative cases too (a fuzzed body
  against a real environment).
* The schema is patched before use, and these are gaps of /openapi.json:
  the NDJSON activity body names an external schema by URL
  (https://rapport.example/schemas/activity-record.schema.json), inlined here
  from schemas/activity-record.schema.json so nothing is fetched; and the
  query parameters the README and the routes take are not declared, so they
  are added (audit after/limit; results/rows level, period, account, sort,
  order, limit, offset, run; results/export format, level; segment members
  limit, offset; contacts email_field; activity skip_invalid; outbox pending;
  the Graph callback's state, admin_consent, tenant, error, error_description),
  and the activity route's `Content-Encoding: gzip` (the hooks then send a
  whole, a truncated, a trailing-junk or a plain body).
* Only the checks above run; schemathesis' conformance checks (status codes,
  response schemas) are off: the schema does not list 409, 410, 413, 422 and
  the like, and conformance is not what this test is for.
* Test-case shrinking is off (the budget goes to exploration); every failing
  request is logged whole, so a reproduction is at hand.
* The budget: setup takes ~10-40 s of `--seconds` (more on a loaded
  machine), the edge probes ~10 s; the rest is shared among the passes by
  weight. Requests go one at a time (schemathesis `workers = 1`), so a crash
  is pinned on the request that caused it (with workers = 4 schemathesis 4.32
  sent far fewer requests here, and a coverage phase stalled).
"""
import argparse
import collections
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HOOKS = os.path.join(HERE, "apifuzz_hooks.py")
ACTIVITY_SCHEMA = os.path.join(ROOT, "schemas", "activity-record.schema.json")
ACTIVITY_SCHEMA_URL = "https://rapport.example/schemas/activity-record.schema.json"
ROLES = ("owner", "o365_admin", "admin", "contributor", "viewer")


class HarnessError(Exception):
    pass


RUNNING = []  # the schemathesis process of the pass under way (its own session: stopped by hand)


def stop_running():
    for st in list(RUNNING):
        try:
            os.killpg(st.pid, signal.SIGKILL)
            st.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        RUNNING.remove(st)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(text):
    print(f"[api-fuzz {time.strftime('%H:%M:%S')}] {text}", flush=True)


class Installation:
    """A private copy of the binary, its own cluster, two seeded tenants and a running server."""

    def __init__(self, binary, log_level):
        self.folder = tempfile.mkdtemp(prefix="rapport-apifuzz-")
        os.chmod(self.folder, 0o755)
        bindir = os.path.join(self.folder, "bin")
        os.makedirs(bindir)
        self.binary = os.path.join(bindir, "rapport")
        shutil.copy2(binary, self.binary)
        shutil.copytree(os.path.join(ROOT, "sql"), os.path.join(self.folder, "sql"))
        self.data = os.path.join(self.folder, "data")
        os.makedirs(self.data)
        os.chmod(self.data, 0o755)
        closed = free_port()  # nothing listens there: Graph and SMTP fail fast, locally
        self.env = dict(os.environ, RAPPORT_DATA_DIR=self.data, RAPPORT_SQL_DIR=os.path.join(self.folder, "sql"),
                        RAPPORT_LOG_LEVEL=log_level, RAPPORT_SMTP_HOST="127.0.0.1", RAPPORT_SMTP_PORT=str(closed),
                        RAPPORT_GRAPH_LOGIN_URL=f"http://127.0.0.1:{closed}",
                        RAPPORT_GRAPH_API_URL=f"http://127.0.0.1:{closed}/v1.0",
                        RAPPORT_GRAPH_MAX_RETRIES="0", RAPPORT_GRAPH_TIMEOUT_SECONDS="2")
        for key in [k for k in self.env if k.endswith("_DATABASE_URL") or k in ("RAPPORT_CONFIG_FILE", "RAPPORT_API_KEY")]:
            del self.env[key]
        self.server = None
        self.server_log_path = os.path.join(self.folder, "serve.log")
        self.server_log = None
        self.cluster_started = False
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.restarts = 0

    # --- processes ---

    def rapport(self, *arguments, check=True, timeout=120):
        result = subprocess.run([self.binary, *arguments], env=self.env, capture_output=True, text=True, timeout=timeout,
                                cwd=self.folder)
        if check and result.returncode != 0:
            raise HarnessError(f"rapport {' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result.stdout.strip()

    def start_cluster(self):
        self.cluster_started = True
        self.rapport("db", "start")
        self.rapport("migrate")

    def serve(self):
        if self.server_log is None:
            self.server_log = open(self.server_log_path, "a")
        self.server_log.write(f"\n===== rapport serve started {datetime.now().isoformat()} =====\n")
        self.server_log.flush()
        self.server = subprocess.Popen([self.binary, "serve", "--port", str(self.port)], env=self.env,
                                       stdout=self.server_log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise HarnessError(f"rapport serve exited ({self.server.returncode}) before it was ready:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + "/health/ready", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise HarnessError("rapport serve did not become ready in 90 s:\n" + self.log_tail())

    def restart(self):
        self.restarts += 1
        self.stop_server()
        self.serve()

    def alive(self):
        return self.server is not None and self.server.poll() is None

    def log_tail(self, lines=40):
        try:
            with open(self.server_log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def log_size(self):
        try:
            return os.path.getsize(self.server_log_path)
        except OSError:
            return 0

    def log_since(self, offset, limit=60):
        try:
            with open(self.server_log_path, errors="replace") as f:
                f.seek(offset)
                return f.read().splitlines()[-limit:]
        except OSError:
            return []

    def stop_server(self):
        if self.server is None:
            return
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.server = None

    def close(self, keep=False):
        try:
            self.stop_server()
        finally:
            if self.server_log is not None:
                self.server_log.close()
            if self.cluster_started:
                try:
                    self.rapport("db", "stop", check=False, timeout=60)
                except Exception as error:  # keep going: the folder must still go
                    say(f"rapport db stop failed: {error}")
            if keep:
                say(f"kept {self.folder}")
            else:
                shutil.rmtree(self.folder, ignore_errors=True)

    # --- the API ---

    def api(self, method, path, key=None, body=None, expect=(200, 201, 202, 204)):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(self.base + path, method=method, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        if expect and status not in expect:
            raise HarnessError(f"{method} {path} answered {status}: {payload[:500]!r}")
        try:
            return status, json.loads(payload) if payload else None
        except ValueError:
            return status, payload


class Tenant:
    """One seeded tenant: its ids (the path-parameter pools) and its keys."""

    def __init__(self, letter, name, domain):
        self.letter = letter
        self.name = name
        self.domain = domain
        self.id = None
        self.environments = {}      # region -> id
        self.keys = {}              # role -> secret
        self.emails = {role: f"{role.replace('_', '')}@{domain}" for role in ROLES}
        self.emails["victim"] = f"victim@{domain}"
        self.accounts = [f"{letter}-ACC-{i:02d}" for i in range(12)]
        self.segments = []
        self.measures = []
        self.runs = []
        self.key_ids = []
        self.assignment_ids = []
        self.sacrificial = {}       # key / assignment -> id
        self.tokens = []

    @property
    def eu(self):
        return f"{self.name} EU"

    def pools(self):
        return {
            "tenant": [self.id],
            # the EU environment (the role's, with data and results) three times as often
            "environment": [self.environments["eu"]] * 3 + [self.environments["uk"], self.environments["na"]],
            "segment": self.segments,
            "measure": self.measures,
            "run": self.runs,
            "account": self.accounts,
            "key": self.key_ids,
            "assignment": self.assignment_ids,
        }

    def own_pools(self):
        pools = self.pools()
        # A pass deletes only the sacrificial key and assignment (the harness ones are protected anyway).
        pools["key"] = [self.sacrificial["key"]]
        pools["assignment"] = [self.sacrificial["assignment"]]
        if self.tokens:
            pools["token"] = self.tokens
        return pools


def write_fixture_files(folder, tenant):
    now = datetime.now(timezone.utc)
    paths = {name: os.path.join(folder, f"{tenant.letter}-{name}") for name in
             ("accounts.csv", "contacts.csv", "activity.ndjson", "directory.json")}
    with open(paths["accounts.csv"], "w") as f:
        f.write("id,name,domains\n")
        for i, account in enumerate(tenant.accounts):
            f.write(f"{account},\"{tenant.name} Customer {i:02d}, Ltd\",cust{i:02d}-{tenant.letter.lower()}.example\n")
    with open(paths["contacts.csv"], "w") as f:
        f.write("id,account_id,emailaddress1\n")
        for i, account in enumerate(tenant.accounts):
            f.write(f"{tenant.letter}-CON-{i:02d},{account},buyer@cust{i:02d}-{tenant.letter.lower()}.example\n")
    with open(paths["activity.ndjson"], "w") as f:
        for i in range(len(tenant.accounts)):
            for n in range(1 + (len(tenant.accounts) - i) // 3):
                sent = now - timedelta(days=2 + 9 * n + i)
                customer = f"buyer@cust{i:02d}-{tenant.letter.lower()}.example"
                f.write(json.dumps({"kind": "email", "message_id": f"m{i}-{n}@{tenant.domain}", "from": f"u1@{tenant.domain}",
                                    "to": [customer], "sent_at": sent.strftime("%Y-%m-%dT%H:%M:%SZ")}) + "\n")
                f.write(json.dumps({"kind": "email", "message_id": f"r{i}-{n}@{tenant.domain}", "from": customer,
                                    "to": [f"u1@{tenant.domain}"], "in_reply_to": [f"m{i}-{n}@{tenant.domain}"],
                                    "sent_at": (sent + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ")}) + "\n")
            start = now - timedelta(days=4 + i)
            f.write(json.dumps({"kind": "meeting", "uid": f"meet-{i}@{tenant.domain}", "organizer": f"u2@{tenant.domain}",
                                "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                "end": (start + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                "attendees": [{"address": f"buyer@cust{i:02d}-{tenant.letter.lower()}.example",
                                               "partstat": "ACCEPTED"}]}) + "\n")
    with open(paths["directory.json"], "w") as f:
        json.dump({"users": [{"id": f"u{i}", "mail": f"u{i}@{tenant.domain}", "display_name": f"User {i}"} for i in (1, 2, 3)],
                   "groups": [{"id": "g1", "display_name": "Sales", "members": ["u1", "u2"]}]}, f)
    return paths


def seed_tenants(inst, tenants):
    """The fixture: CLI first (no server needed), then the API."""
    for t in tenants:
        t.files = write_fixture_files(inst.folder, t)
        t.id = inst.rapport("tenant", "create", "--name", t.name, "--domain", t.domain)
        for region in ("uk", "eu", "na"):
            t.environments[region] = inst.rapport("environment", "create", "--tenant", t.id, "--name",
                                                  f"{t.name} {region.upper()}", "--region", region)
        for role in ("owner", "o365_admin"):
            t.keys[role] = inst.rapport("key", "create", "--tenant", t.id, "--email", t.emails[role], "--role", role,
                                        "--label", f"apifuzz-{role}")
        for role in ("admin", "contributor", "viewer"):
            t.keys[role] = inst.rapport("key", "create", "--tenant", t.id, "--email", t.emails[role], "--role", role,
                                        "--environment", t.environments["eu"], "--label", f"apifuzz-{role}")
        t.keys["victim"] = inst.rapport("key", "create", "--tenant", t.id, "--email", t.emails["victim"], "--role", "viewer",
                                        "--environment", t.environments["eu"], "--label", "apifuzz-sacrificial")
        restore_fixture(inst, t)
        inst.rapport("directory", "import", "--tenant", t.id, t.files["directory.json"])
    operator = inst.rapport("key", "operator", "--name", "apifuzz-ops")

    inst.serve()
    for t in tenants:
        base = f"/v1/tenants/{t.id}"
        env = f"{base}/environments/{t.environments['eu']}"
        inst.api("PUT", f"{env}/enrichment", t.keys["admin"], {
            "name": "Engagement", "addresses": [f"u3@{t.domain}"], "groups": ["Sales"], "agreed": True,
            "email_field": "emailaddress1"})
        inst.api("POST", f"{base}/consent", t.keys["o365_admin"], {"decision": "grant"})
        _, run = inst.api("POST", f"{env}/runs", t.keys["admin"])
        t.runs.append(run["id"])
        inst.rapport("worker", "--region", "eu", "--once", timeout=180)
        _, run = inst.api("GET", f"{env}/runs/{t.runs[0]}", t.keys["viewer"])
        if run.get("status") != "succeeded":
            raise HarnessError(f"the seed run of {t.name} did not succeed: {json.dumps(run)[:800]}")
        for name, expression in (("Engaged", "EngagementScore >= 50"), ("Quiet", "DaysSinceLastEmail > 5 OR DaysSinceLastEmail IS NULL")):
            _, segment = inst.api("POST", f"{env}/segments", t.keys["contributor"], {"name": name, "expression": expression})
        _, listing = inst.api("GET", f"{env}/segments", t.keys["viewer"])
        t.segments = [s["id"] for s in listing["segments"]]
        _, measure = inst.api("POST", f"{env}/measures", t.keys["contributor"],
                              {"name": "Emails", "function": "SUM", "column": "NoOfEmails_ToAccount", "segment_id": segment["id"]})
        t.measures.append(measure["id"])
        _, measure = inst.api("POST", f"{env}/measures", t.keys["contributor"],
                              {"name": "Accounts", "function": "COUNT", "column": "AccountId"})
        t.measures.append(measure["id"])
        inst.api("PUT", f"{base}/graph", t.keys["owner"], {
            "entra_tenant_id": "0b1c2d3e-0000-4000-8000-00000000000" + ("1" if t.letter == "A" else "2"),
            "client_id": "6f1c2b8e-0000-4000-8000-0000000000c1", "client_secret": "apifuzz-secret", "cloud": "global"})
        refresh_sacrificial(inst, t)
    _, outbox = inst.api("GET", "/v1/outbox", operator)
    for message in (outbox or {}).get("messages", []):
        text = json.dumps(message)
        for t in tenants:
            if t.emails["o365_admin"] in text and "/consent/" in text:
                token = text.split("/consent/", 1)[1].split('"')[0].split("\\")[0].split(" ")[0]
                if token:
                    t.tokens.append(token)
    return operator


def refresh_sacrificial(inst, t):
    """The ids of the tenant's keys and role assignments, and a live sacrificial key and assignment
    (a pass may have deleted them: that is what they are for)."""
    base = f"/v1/tenants/{t.id}"
    for attempt in range(2):
        _, keys = inst.api("GET", f"{base}/keys", t.keys["owner"])
        _, assignments = inst.api("GET", f"{base}/role-assignments", t.keys["owner"])
        _, principals = inst.api("GET", f"{base}/principals", t.keys["owner"])
        victim = next(p["id"] for p in principals["principals"] if (p.get("email") or "").lower() == t.emails["victim"])
        t.key_ids = [k["id"] for k in keys["keys"] if not k.get("revoked_at")]
        t.assignment_ids = [a["id"] for a in assignments["role_assignments"]]
        key = next((k["id"] for k in keys["keys"] if k["principal_id"] == victim and not k.get("revoked_at")), None)
        assignment = next((a["id"] for a in assignments["role_assignments"] if a["principal_id"] == victim), None)
        if key and assignment:
            t.sacrificial = {"key": key, "assignment": assignment}
            t.victim_key_ids = {k["id"] for k in keys["keys"] if k["principal_id"] == victim}
            t.victim_assignment_ids = {a["id"] for a in assignments["role_assignments"] if a["principal_id"] == victim}
            return
        inst.rapport("key", "create", "--tenant", t.id, "--email", t.emails["victim"], "--role", "viewer",
                     "--environment", t.environments["eu"], "--label", "apifuzz-sacrificial")
    raise HarnessError(f"no sacrificial key and role assignment for {t.name}")


# The Dataverse host of each region's geography (an organization elsewhere is refused at attach).
GEOGRAPHY = {"eu": "crm4", "uk": "crm11", "na": "crm"}


def restore_fixture(inst, t):
    inst.rapport("licence", "set", "--tenant", t.id, "--status", "active", "--seats", "50", "--expires", "2099-12-31")
    for region in ("eu", "uk"):
        inst.rapport("dataverse", "attach", "--tenant", t.id, "--environment", t.environments[region],
                     "--url", f"https://{t.letter.lower()}{region}.{GEOGRAPHY[region]}.dynamics.com",
                     "--organization-id", "6f1c2b8e-0000-4000-8000-000000000001")
    inst.rapport("import", "--tenant", t.id, "--environment", t.environments["eu"],
                 t.files["accounts.csv"], t.files["contacts.csv"], t.files["activity.ndjson"])


def ensure_key(inst, t, role):
    """The key still authenticates; else a new one (a pass revoked it or removed the role)."""
    probe = f"/v1/tenants/{t.id}"
    status, _ = inst.api("GET", probe, t.keys[role], expect=())
    if status == 200:
        return None
    arguments = ["key", "create", "--tenant", t.id, "--email", t.emails[role], "--role", role, "--label", f"apifuzz-{role}"]
    if role in ("admin", "contributor", "viewer"):
        arguments += ["--environment", t.environments["eu"]]
    t.keys[role] = inst.rapport(*arguments)
    return f"{t.name} {role}'s key answered {status} on GET {probe}; a new key was made"


# --- the schema -----------------------------------------------------------------------------------

def query(name, schema, description):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGING = [query("limit", {"type": "integer", "minimum": 1, "maximum": 1000}, "page size"),
          query("offset", {"type": "integer", "minimum": 0}, "rows to skip")]
LEVEL = query("level", {"enum": ["Year", "Month", "Week"]}, "period level")
EXTRA_QUERY = {
    ("/v1/tenants/{tenant}/audit", "get"): [query("after", {"type": "integer", "minimum": 0}, "events after this id"),
                                           query("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "page size")],
    ("/v1/tenants/{tenant}/environments/{environment}/results/rows", "get"): [
        LEVEL, query("period", {"type": "string", "format": "date"}, "the period's first day"),
        query("account", {"type": "string"}, "one account"),
        query("sort", {"type": "string"}, "a column name"), query("order", {"enum": ["asc", "desc"]}, "order"),
        *PAGING, query("run", {"type": "string", "format": "uuid"}, "a published run")],
    ("/v1/tenants/{tenant}/environments/{environment}/results/export", "get"): [
        query("format", {"enum": ["csv", "ndjson"]}, "format"), LEVEL],
    ("/v1/tenants/{tenant}/environments/{environment}/segments/{segment}/members", "get"): PAGING,
    ("/v1/tenants/{tenant}/environments/{environment}/customer-data/contacts", "post"): [
        query("email_field", {"type": "string"}, "the CSV's email column")],
    ("/v1/tenants/{tenant}/environments/{environment}/activity", "post"): [
        query("skip_invalid", {"enum": ["true", "false"]}, "skip invalid lines")],
    ("/v1/outbox", "get"): [query("pending", {"enum": ["true", "false"]}, "unsent mail only")],
    ("/graph/consent/callback", "get"): [query(name, {"type": "string"}, name) for name in
                                         ("state", "admin_consent", "tenant", "error", "error_description")],
}


def patch_schema(raw):
    """Inline the activity record schema; declare the query parameters the routes take."""
    schema = json.loads(json.dumps(raw))
    record = json.load(open(ACTIVITY_SCHEMA))
    definitions = record.pop("$defs", {})
    for key in ("$schema", "$id", "title"):
        record.pop(key, None)

    def rewrite(node):
        if isinstance(node, dict):
            return {k: (("#/components/schemas/ActivityRecord_" + v[len("#/$defs/"):])
                        if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/") else rewrite(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in definitions.items():
        components["ActivityRecord_" + name] = rewrite(definition)
    components["ActivityRecord"] = rewrite(record)
    replaced = 0

    def replace(node):
        nonlocal replaced
        if isinstance(node, dict):
            if node.get("$ref") == ACTIVITY_SCHEMA_URL:
                replaced += 1
                return {"type": "array", "minItems": 1, "maxItems": 20, "items": {"$ref": "#/components/schemas/ActivityRecord"}}
            return {k: replace(v) for k, v in node.items()}
        if isinstance(node, list):
            return [replace(v) for v in node]
        return node

    schema["paths"] = replace(schema["paths"])
    activity = schema["paths"].get("/v1/tenants/{tenant}/environments/{environment}/activity", {}).get("post")
    if activity is not None:
        activity.setdefault("parameters", []).append(
            {"name": "Content-Encoding", "in": "header", "required": False, "schema": {"enum": ["gzip", "identity"]},
             "description": "gzip accepted (the README)"})
    for (path, method), parameters in EXTRA_QUERY.items():
        operation = schema["paths"].get(path, {}).get(method)
        if operation is None:
            say(f"note: {method.upper()} {path} is no longer in /openapi.json")
            continue
        present = {(p.get("name"), p.get("in")) for p in operation.get("parameters", [])}
        operation.setdefault("parameters", []).extend(p for p in parameters if (p["name"], "query") not in present)
    unresolved = [ref for ref in _refs(schema) if not ref.startswith("#/")]
    if unresolved:
        raise HarnessError(f"the schema still names external documents: {sorted(set(unresolved))}")
    return schema, replaced


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


# --- passes ---------------------------------------------------------------------------------------

T = "/v1/tenants/{tenant}"
E = T + "/environments/{environment}"
VIEWER = {("GET", T), ("GET", T + "/environments"), ("GET", T + "/licence"), ("GET", T + "/consent")}
CONTRIBUTOR = {("POST", E + "/customer-data/accounts"), ("POST", E + "/customer-data/contacts"), ("POST", E + "/activity"),
               ("POST", E + "/segments"), ("DELETE", E + "/segments/{segment}"), ("POST", E + "/measures")}
ADMIN = {("PATCH", E), ("PUT", E + "/dataverse"), ("DELETE", E + "/dataverse"), ("PUT", E + "/enrichment"), ("POST", E + "/runs")}
O365 = {("GET", T), ("GET", T + "/environments"), ("GET", T + "/licence"), ("GET", T + "/consent"), ("POST", T + "/consent"),
        ("DELETE", T + "/consent"), ("GET", T + "/graph"), ("POST", T + "/graph/admin-consent")}
OPERATOR = {("GET", "/v1/tenants"), ("POST", "/v1/tenants"), ("POST", T + "/bootstrap"), ("GET", "/v1/outbox")}


def viewer_focus(method, path):
    return (method == "GET" and path.startswith(E)) or (method, path) in VIEWER


def contributor_focus(method, path):
    return viewer_focus(method, path) or (method, path) in CONTRIBUTOR


def admin_focus(method, path):
    return contributor_focus(method, path) or (method, path) in ADMIN


def owner_focus(method, path):
    return path.startswith(T) and not path.endswith("/bootstrap")


FOCUS = {
    "viewer": viewer_focus, "contributor": contributor_focus, "admin": admin_focus, "owner": owner_focus,
    "o365_admin": lambda method, path: (method, path) in O365,
    "operator": lambda method, path: (method, path) in OPERATOR or not path.startswith("/v1"),
    "cross": lambda method, path: path.startswith(T),
    "anonymous": lambda method, path: True,
}


class Pass:
    """One `st run`. Operations outside `focus` (those the key's role may not use) get 5 fuzzed cases
    a round and no coverage phase (enough to see a 403/404 and its shape); the time goes to the rest."""

    def __init__(self, name, weight, key=None, tenant=None, role=None, own=None, foreign=None, weights=None,
                 read_only=False, anonymous=False, focus=None, edge=False):
        self.name, self.weight, self.key, self.tenant, self.role = name, weight, key, tenant, role
        self.edge = edge
        self.focus = FOCUS[focus or role]
        self.own, self.foreign = own or dict, foreign or dict
        self.weights = weights or {"own": 80, "foreign": 5}
        self.read_only, self.anonymous = read_only, anonymous
        self.records = []
        self.exit_code = None
        self.seconds = 0.0
        self.note = None


def plan(a, b, operator, revoked_key):
    # Pools are callables, taken when the pass starts (the sacrificial ids change when a pass deletes them).
    def both():
        pa, pb = a.own_pools(), b.own_pools()
        return {k: pa.get(k, []) + pb.get(k, []) for k in set(pa) | set(pb)}
    passes = [
        Pass("cross-tenant: A owner -> B ids", 1.5, tenant=a, role="owner", own=a.own_pools, foreign=b.pools,
             weights={"own": 15, "foreign": 70}, focus="cross"),
        Pass("A viewer", 1.0, tenant=a, role="viewer", own=a.own_pools, foreign=b.pools, read_only=True),
        Pass("A admin", 1.0, tenant=a, role="admin", own=a.own_pools, foreign=b.pools),
        Pass("A contributor", 1.0, tenant=a, role="contributor", own=a.own_pools, foreign=b.pools),
        Pass("A owner", 1.5, tenant=a, role="owner", own=a.own_pools, foreign=b.pools),
        Pass("B owner", 1.0, tenant=b, role="owner", own=b.own_pools, foreign=a.pools),
        Pass("operator", 0.7, key=operator, own=both, focus="operator"),
        Pass("anonymous", 0.5, own=a.own_pools, anonymous=True, focus="anonymous"),
        Pass("edge probes", 0, tenant=a, role="owner", edge=True),
        Pass("A o365_admin (last: may withdraw consent)", 0.8, tenant=a, role="o365_admin", own=a.own_pools,
             foreign=b.pools),
    ]
    for p in passes:
        if p.anonymous:
            p.anonymous_variants = [None, "Bearer rpt_not-a-key", f"Bearer {revoked_key}", "Basic YTpi", "Bearer "]
    return passes


def protected(tenants):
    """Harness key and assignment id -> the same tenant's sacrificial one (what a DELETE of it hits instead)."""
    keys, assignments = {}, {}
    for t in tenants:
        keys.update({k: t.sacrificial["key"] for k in t.key_ids if k not in t.victim_key_ids})
        assignments.update({a: t.sacrificial["assignment"] for a in t.assignment_ids if a not in t.victim_assignment_ids})
    return {"key": keys, "assignment": assignments}


def operations_outside(schema, focus):
    methods = ("get", "put", "post", "delete", "patch")
    return [(m.upper(), path) for path, item in schema["paths"].items() for m in item if m in methods
            and not focus(m.upper(), path)]


def run_pass(inst, p, schema, schema_path, work, seconds, seed, tenants, shrink):
    key = p.key if p.key else (p.tenant.keys[p.role] if p.tenant else None)
    slug = "".join(c if c.isalnum() else "-" for c in p.name.lower()).strip("-")[:40]
    folder = os.path.join(work, slug)
    os.makedirs(folder, exist_ok=True)
    log_path = os.path.join(folder, "requests.jsonl")
    pass_file = os.path.join(folder, "pass.json")
    with open(pass_file, "w") as f:
        json.dump({"name": p.name, "base_url": inst.base, "log": log_path, "seed": seed, "key": key,
                   "pools": {"own": p.own(), "foreign": p.foreign()}, "weights": p.weights,
                   "protect": protected(tenants),
                   "read_only": p.read_only, "anonymous": p.anonymous,
                   "anonymous_variants": getattr(p, "anonymous_variants", [])}, f)
    config = [
        f"seed = {seed}",
        "workers = 1",
        "request-timeout = 10",
        "continue-on-failure = true",
        "suppress-health-check = [\"all\"]",
        "[generation]",
        f"no-shrink = {'false' if shrink else 'true'}",
        "database = \"none\"",
        "[checks]",
        "enabled = false",
    ]
    checks = ["apifuzz_no_server_error", "apifuzz_error_shape", "apifuzz_alive", "apifuzz_cross_tenant",
              "apifuzz_read_only", "apifuzz_authentication"]
    for check in checks:
        config += [f"[checks.{check}]", "enabled = true"]
    if key:
        config += ["[auth.openapi.bearer]", f"bearer = \"{key}\""]
    outside = [f"{method} {path}" for method, path in operations_outside(schema, p.focus)]
    if outside:
        config += ["[[operations]]", f"include-name = {json.dumps(outside)}", "phases.coverage.enabled = false",
                   "phases.fuzzing.generation.max-examples = 5"]
    config_path = os.path.join(folder, "schemathesis.toml")
    with open(config_path, "w") as f:
        f.write("\n".join(config) + "\n")
    env = dict(os.environ, SCHEMATHESIS_HOOKS=HOOKS, APIFUZZ_PASS_FILE=pass_file, PYTHONDONTWRITEBYTECODE="1")
    max_time = max(5, int(seconds) - 4)
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", config_path, "run", schema_path,
               "--url", inst.base, "--max-time", str(max_time), "--no-color",
               "--report", "junit", "--report-dir", os.path.join(folder, "report")]
    output_path = os.path.join(folder, "schemathesis.out")
    started = time.time()
    log_offset = inst.log_size()
    death = {}
    with open(output_path, "w") as out:
        st = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        RUNNING.append(st)
        hard_stop = started + max_time + 25
        while st.poll() is None:
            if not inst.alive() and "at" not in death:
                death["at"] = time.time()
                death["code"] = inst.server.returncode if inst.server else None
                try:
                    os.killpg(st.pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
                hard_stop = min(hard_stop, time.time() + 10)
            if time.time() > hard_stop:
                p.note = "schemathesis overran its time budget and was stopped"
                try:
                    os.killpg(st.pid, signal.SIGINT)
                    st.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    try:
                        os.killpg(st.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                break
            time.sleep(0.2)
        st.wait()
        RUNNING.remove(st)
    p.exit_code = st.returncode
    p.seconds = time.time() - started
    p.output_path = output_path
    p.records = []
    if os.path.exists(log_path):
        with open(log_path) as f:
            p.records = [json.loads(line) for line in f if line.strip()]
    if "at" in death or not inst.alive():
        last = [r for r in p.records if r.get("event") == "request" and r["t"] <= death.get("at", time.time())][-3:]
        p.records.append({"event": "failure", "kind": "process_died", "pass": p.name,
                          "message": f"rapport serve exited with {death.get('code', inst.server.returncode if inst.server else None)}",
                          "last_requests": last, "server_log": inst.log_since(log_offset)[-40:],
                          "method": last[-1]["method"] if last else "?", "template": last[-1]["template"] if last else "?",
                          "url": last[-1].get("url") if last else None, "status": None})
        inst.restart()
    else:
        # a 5xx: keep what the server logged meanwhile with the failure
        server_lines = [line for line in inst.log_since(log_offset, limit=400) if "error" in line.lower()]
        for r in p.records:
            if r.get("event") == "failure" and r.get("kind") == "server_error":
                r["server_log"] = server_lines[-10:]
    return p


# --- the error shape (shared with apifuzz_hooks.py) ----------------------------------------------------

# Members beside "error" that a route documents for an error status (the README): the 422 of saving
# the enrichment names the resolved count, unknown groups, invalid and foreign addresses, failed checks.
DOCUMENTED_EXTRAS = {
    (422, "/v1/tenants/{tenant}/environments/{environment}/enrichment"):
        {"resolved_count", "unknown_groups", "invalid_addresses", "foreign_addresses", "failed_checks"},
    # RejectedBatch in /openapi.json: a batch with invalid lines lists each of them.
    (400, "/v1/tenants/{tenant}/environments/{environment}/activity"): {"lines"},
}


def error_shape_problems(status, template, payload):
    """What is wrong with a 4xx JSON body against {"error": {"code", "message", "field"?}}; [] when right."""
    try:
        body = json.loads(payload)
    except ValueError:
        return ["the body is not JSON"]
    if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
        return ["no \"error\" object"]
    problems = []
    error = body["error"]
    if not isinstance(error.get("code"), str) or not error["code"]:
        problems.append("error.code is not a non-empty string")
    if not isinstance(error.get("message"), str):
        problems.append("error.message is not a string")
    if "field" in error and error["field"] is not None and not isinstance(error["field"], str):
        problems.append("error.field is not a string")
    extra = set(error) - {"code", "message", "field"}
    if extra:
        problems.append(f"error has other members: {sorted(extra)}")
    others = set(body) - {"error"} - DOCUMENTED_EXTRAS.get((status, template), set())
    if others:
        problems.append(f"other top-level members: {sorted(others)}")
    return problems


# --- edge probes ----------------------------------------------------------------------------------

def edge_probes(inst, t):
    """Hand-made requests schemathesis does not make: bodies over the limit, a gzip bomb, deep nesting,
    huge lines, ids and headers, extreme query values, malformed HTTP. The same checks apply: no 5xx,
    the error shape on a 4xx JSON answer, the process alive after each."""
    p = Pass("edge probes", 0, tenant=t, role="owner", edge=True)
    started = time.time()
    key = t.keys["owner"]
    tenant = f"/v1/tenants/{t.id}"
    env = f"{tenant}/environments/{t.environments['eu']}"
    js, nd, csv = {"Content-Type": "application/json"}, {"Content-Type": "application/x-ndjson"}, {"Content-Type": "text/csv"}
    gz = dict(nd, **{"Content-Encoding": "gzip"})
    line = b'{"kind": "email", "message_id": "x@y", "from": "a@alpha.example", "to": ["b@cust00-a.example"], "sent_at": "2026-01-01T00:00:00Z"}\n'
    deep = 100_000
    probes = [
        ("POST", env + "/activity", nd, line * (1_300_000 // len(line)), "an NDJSON body over http.max.body.bytes"),
        ("POST", env + "/activity", gz, gzip.compress(b" " * 200_000_000, 9), "a gzip bomb: 200 MB of spaces"),
        ("POST", env + "/activity", gz, gzip.compress(line * 50)[:-8], "a gzip body without its trailer"),
        ("POST", env + "/activity", gz, gzip.compress(line) + gzip.compress(line), "two gzip members"),
        ("POST", env + "/activity", gz, b"\x1f\x8b\x08\x00" + os.urandom(400), "gzip magic, then noise"),
        ("POST", env + "/activity", nd, b'{"kind": "email", "x": ' + b"[" * deep + b"]" * deep + b"}\n", f"an NDJSON line nested {deep} deep"),
        ("POST", env + "/activity", nd, b'{"kind": "email", "message_id": "' + b"m" * 1_000_000 + b'"}\n', "one 1 MB NDJSON line"),
        ("POST", env + "/activity", nd, b"\n" * 1_000_000, "a million empty lines"),
        ("POST", env + "/activity", nd, b'{"kind": "email", "sent_at": "' + b"9" * 5000 + b'"}\n', "a 5,000-digit date"),
        ("POST", env + "/segments", js, b"[" * deep + b"]" * deep, f"a JSON body nested {deep} deep"),
        ("POST", env + "/segments", js, b'{"name": "n", "expression": "x", "a": ' + b'{"a": ' * deep + b"1" + b"}" * deep + b"}",
         f"JSON objects nested {deep} deep"),
        ("POST", env + "/segments", js, json.dumps({"name": "deep", "expression": "(" * 20000 + "EngagementScore > 1" + ")" * 20000}).encode(),
         "a segment expression nested 20,000 deep"),
        ("POST", env + "/segments", js, json.dumps({"name": "long", "expression": " OR ".join(["EngagementScore > 1"] * 30000)}).encode(),
         "a segment expression of 30,000 terms"),
        ("POST", env + "/segments", js, json.dumps({"name": "num", "expression": "EngagementScore > 1" + "0" * 5000}).encode(),
         "a 5,000-digit number in an expression"),
        ("POST", env + "/segments", js, b'{"name": "\xff\xfe\xc0\x80", "expression": "EngagementScore > 1"}', "invalid UTF-8 in a JSON string"),
        ("POST", env + "/segments", js, b'{"name": "a\\u0000b", "expression": "Name = \'\\u0000\'"}', "NUL in JSON strings"),
        ("POST", env + "/segments", js, b'{"name": "\\ud800", "expression": "EngagementScore > 1"}', "a lone surrogate escape"),
        ("POST", env + "/segments", js, b'{"name": 1e999999, "expression": 1}', "a number out of range"),
        ("PUT", tenant + "/directory", js, json.dumps({"users": [{"id": f"u{i}", "mail": f"u{i}@alpha.example"} for i in range(30000)]}).encode(),
         "a directory body over the limit"),
        ("PUT", tenant + "/directory", js, json.dumps({"users": [{"id": "u1", "mail": "u1@alpha.example"}],
                                                        "groups": [{"id": f"g{i}", "members": [f"g{i + 1}"]} for i in range(5000)]}).encode(),
         "a chain of 5,000 nested groups"),
        ("PUT", tenant + "/directory", js, json.dumps({"users": [{"id": "u1", "mail": "u1@alpha.example"}],
                                                        "groups": [{"id": "g1", "members": ["g2"]}, {"id": "g2", "members": ["g1", "u1"]}]}).encode(),
         "a group cycle"),
        ("POST", env + "/customer-data/accounts", csv, b'id,name,domains\nA1,"' + b"a" * 200_000, "a CSV quote never closed"),
        ("POST", env + "/customer-data/accounts", csv, b"id,name,domains\n" + b"".join(b"X%d,n,x%d.example\n" % (i, i) for i in range(50000)),
         "50,000 CSV rows"),
        ("POST", env + "/customer-data/contacts?email_field=" + "e" * 5000, csv, b"id,account_id\nC1,A1\n", "a 5,000-byte email_field"),
        ("GET", env + "/results/rows?limit=1000&offset=9223372036854775807", {}, None, "offset Int64.max"),
        ("GET", env + "/results/rows?offset=99999999999999999999999", {}, None, "offset over Int64"),
        ("GET", env + "/results/rows?period=0000-01-01&level=Week", {}, None, "period year 0"),
        ("GET", env + "/results/rows?period=9999-12-31&level=Month&sort=EngagementScore&order=desc", {}, None, "period 9999-12-31"),
        ("GET", env + "/results/rows?account=" + "%00" * 10 + "&run=" + "f" * 36, {}, None, "NUL in account, a bad run id"),
        ("GET", env + "/results/rows?" + "&".join(f"level=Year" for _ in range(5000)), {}, None, "5,000 repeated parameters"),
        ("GET", tenant + "/audit?after=9223372036854775807&limit=1000", {}, None, "audit after Int64.max"),
        ("GET", tenant + "/audit?after=-9223372036854775808", {}, None, "audit after Int64.min"),
        ("GET", env + "/segments/" + t.segments[0] + "/members?limit=1000&offset=9223372036854775807", {}, None, "members offset Int64.max"),
        ("GET", env + "/accounts/" + "%2F" * 3 + "..%2F..%2F/card", {}, None, "encoded slashes in an account id"),
        ("GET", env + "/accounts/" + "a" * 60000 + "/card", {}, None, "a 60 KB account id"),
        ("GET", tenant + "/" + "x" * 200_000, {}, None, "a 200 KB path"),
        ("GET", tenant, {"Authorization": "Bearer rpt_" + "x" * 100_000}, None, "a 100 KB Authorization header"),
        ("GET", tenant, {"Authorization": "Bearer " + key + "\t"}, None, "a key with a trailing tab"),
        ("GET", "/consent/" + "A" * 100_000, {}, None, "a 100 KB consent token"),
        ("GET", "/graph/consent/callback?state=" + "%FF" * 2000 + "&admin_consent=True&tenant=x", {}, None, "invalid UTF-8 in the callback state"),
    ]
    raw = [
        (b"GET /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", "Content-Length -1"),
        (b"POST /v1/tenants HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}", "Content-Length over Int64"),
        (b"POST /v1/tenants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n", "a malformed chunk size"),
        (b"POST /v1/tenants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", "chunked and Content-Length"),
        (b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 200_000 + b"\r\n\r\n", "a 200 KB header line"),
        (b"GET /health/live HTTP/1.1\r\n" + b"".join(b"X-%d: a\r\n" % i for i in range(20000)) + b"\r\n", "20,000 headers"),
        (b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + bytes(range(256)), "a TLS ClientHello"),
        (b"GET /\x00\xff HTTP/1.1\r\nHost: x\r\n\r\n", "NUL and 0xFF in the request line"),
        (b"GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n", "HTTP/9.9"),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "an HTTP/2 preface"),
    ]
    import http.client

    def alive():
        for _ in range(4):
            try:
                with urllib.request.urlopen(inst.base + "/health/live", timeout=5) as answer:
                    if answer.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        return False

    def template_of(url):
        path = url.split("?")[0]
        if path.startswith("(raw)"):
            return "(raw HTTP)"
        for value, name in ((t.environments["eu"], "{environment}"), (t.id, "{tenant}"), (t.segments[0], "{segment}")):
            path = path.replace(value, name)
        return path if len(path) < 120 else path[:120] + "…"

    def record(method, url, headers, body, description, status, content_type, payload, error=None):
        entry = {"event": "request", "pass": p.name, "method": method, "template": template_of(url), "description": description,
                 "url": (url if len(url) < 300 else url[:300] + "…"), "status": status, "content_type": content_type,
                 "request_content_type": headers.get("Content-Type"), "t": time.time(),
                 "request_body": None if body is None else f"<{len(body)} bytes> " + body[:120].decode("utf-8", "replace"),
                 "response_body": (payload or b"")[:400].decode("utf-8", "replace") if payload is not None else error}
        p.records.append(entry)
        problems = []
        if status is not None and status >= 500:
            problems.append(("server_error", f"{status} for {description}"))
        if status is not None and 400 <= status < 500 and (content_type or "").split(";")[0].strip() == "application/json":
            shape = error_shape_problems(status, entry["template"], payload)
            if shape:
                problems.append(("error_shape", f"{status}: " + "; ".join(shape)))
        elif status is not None and 400 <= status < 500 and url.startswith("/v1"):
            problems.append(("error_not_json", f"{status} with content-type {content_type or 'none'} on a /v1 route"))
        if not alive() or not inst.alive():
            problems.append(("server_down", f"the server is not alive after {description}"))
        for kind, message in problems:
            p.records.append(dict(entry, event="failure", kind=kind, message=message))
        if not inst.alive():
            p.records.append(dict(entry, event="failure", kind="process_died", message=f"rapport serve exited after {description}",
                                  server_log=inst.log_tail(20).splitlines()))
            inst.restart()

    for method, url, headers, body, description in probes:
        headers = dict(headers)
        headers.setdefault("Authorization", f"Bearer {key}")
        connection = http.client.HTTPConnection("127.0.0.1", inst.port, timeout=30)
        status = content_type = payload = error = None
        try:
            connection.request(method, url, body=body, headers=headers)
            answer = connection.getresponse()
            status, content_type, payload = answer.status, answer.getheader("Content-Type"), answer.read()
        except (OSError, http.client.HTTPException) as exc:
            error = f"no answer: {type(exc).__name__}: {exc}"[:200]
        finally:
            connection.close()
        record(method, url, headers, body, description, status, content_type, payload, error)
    for data, description in raw:
        status = content_type = payload = error = None
        try:
            with socket.create_connection(("127.0.0.1", inst.port), timeout=10) as sock:
                try:
                    sock.sendall(data)
                except OSError:
                    pass
                chunks = []
                try:
                    while True:
                        chunk = sock.recv(65536)
                        if not chunk:
                            break
                        chunks.append(chunk)
                        if b"\r\n\r\n" in b"".join(chunks):
                            head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
                            length = next((int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")), None)
                            if length is not None and len(rest) >= length:
                                break
                except OSError:
                    pass
                answer = b"".join(chunks)
            if answer.startswith(b"HTTP/"):
                head, _, payload = answer.partition(b"\r\n\r\n")
                status = int(head.split(b" ")[1])
                content_type = next((h.split(b":", 1)[1].strip().decode() for h in head.split(b"\r\n")
                                     if h.lower().startswith(b"content-type:")), None)
            else:
                error = "the connection closed without an answer" if not answer else f"not HTTP: {answer[:60]!r}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc}"
        record("RAW", "(raw) " + description, {}, data, description, status, content_type, payload, error)
    p.seconds = time.time() - started
    p.exit_code = 0
    return p


# --- the summary ----------------------------------------------------------------------------------

def summarize(passes, notes, report_dir, elapsed, setup_seconds, seed):
    failures = [r for p in passes for r in p.records if r.get("event") == "failure"]
    groups = collections.OrderedDict()
    for r in failures:
        # One entry per distinct failure: kind, route, status, and the error's message for 4xx shape issues.
        key = (r["kind"], r.get("method"), r.get("template"), r.get("status"), r.get("message", "")[:60] if r["kind"] in ("error_shape",) else "")
        groups.setdefault(key, []).append(r)
    print()
    print(f"API fuzzing: seed {seed}, {elapsed:.0f} s in all ({setup_seconds:.0f} s setup)")
    print(f"{'pass':<46} {'requests':>8} {'2xx':>6} {'4xx':>6} {'5xx':>5} {'fail':>5} {'s':>5}  st")
    total = 0
    for p in passes:
        requests_ = [r for r in p.records if r.get("event") == "request"]
        classes = collections.Counter(r["status"] // 100 for r in requests_)
        fails = sum(1 for r in p.records if r.get("event") == "failure")
        total += len(requests_)
        print(f"{p.name:<46} {len(requests_):>8} {classes[2]:>6} {classes[4]:>6} {classes[5]:>5} {fails:>5} {p.seconds:>5.0f}  "
              f"exit {p.exit_code}{' — ' + p.note if p.note else ''}")
    print(f"{'total':<46} {total:>8}")
    cross = collections.Counter(r["status"] for p in passes for r in p.records if r.get("event") == "cross")
    print(f"requests naming the other tenant's ids (with a valid key): {sum(cross.values())}, statuses "
          + ", ".join(f"{status}: {count}" for status, count in sorted(cross.items())))
    routes = collections.Counter((r["method"], r["template"]) for p in passes for r in p.records if r.get("event") == "request")
    print(f"{len(routes)} method+route pairs exercised")
    for p in passes:
        if p.name.startswith("edge probes"):
            print(f"\n{p.name}:")
            for r in p.records:
                if r.get("event") == "request":
                    outcome = r["status"] if r["status"] is not None else "-"
                    detail = (r.get("response_body") or "").replace("\n", " ")[:90]
                    print(f"  {outcome!s:>4}  {r['description']:<44} {detail}")
    for note in notes:
        print(f"note: {note}")
    if groups:
        print(f"\n{len(failures)} failing requests, {len(groups)} distinct:")
        for (kind, method, template, status, _), records in groups.items():
            r = records[0]
            print(f"\n* {kind}: {method} {template} -> {status}  ({len(records)}×; passes: {', '.join(sorted({x['pass'] for x in records}))})")
            print(f"  {r.get('message', '')}" + (f"  (probe: {r['description']})" if r.get("description") else ""))
            if r.get("url"):
                print(f"  request: {r['method']} {r['url']}"
                      + (f"  [{r.get('request_content_type')}]" if r.get("request_content_type") else ""))
            if r.get("request_body"):
                print(f"  body: {r['request_body'][:300]}")
            if r.get("response_body"):
                print(f"  response: {r['response_body'][:300]}")
            for line in (r.get("server_log") or [])[-5:]:
                print(f"  server: {line[:300]}")
            for last in r.get("last_requests", []):
                print(f"  before the death: {last['method']} {last.get('url')} -> {last.get('status')}  body: {(last.get('request_body') or '')[:200]}")
    else:
        print("\nno failures")
    os.makedirs(report_dir, exist_ok=True)
    with open(os.path.join(report_dir, "summary.json"), "w") as f:
        json.dump({"seed": seed, "seconds": elapsed, "setup_seconds": setup_seconds, "notes": notes,
                   "passes": [{"name": p.name, "requests": sum(1 for r in p.records if r.get("event") == "request"),
                               "exit_code": p.exit_code, "seconds": p.seconds} for p in passes],
                   "failures": [{"kind": k[0], "method": k[1], "template": k[2], "status": k[3], "count": len(v),
                                 "examples": v[:3]} for k, v in groups.items()]}, f, indent=1, default=str)
    print(f"\nreport: {os.path.relpath(os.path.join(report_dir, 'summary.json'), ROOT)}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rapport", default=os.path.join(ROOT, ".build", "debug", "rapport"), help="the built binary (copied first)")
    parser.add_argument("--seconds", type=float, default=240, help="the whole budget, setup included (default 240)")
    parser.add_argument("--seed", type=int, default=None, help="schemathesis' and the id choice's seed (default: random)")
    parser.add_argument("--only", action="append", default=[], help="run only the passes whose name contains this (repeatable)")
    parser.add_argument("--report-dir", default=os.path.join(ROOT, ".cache", "apifuzz"))
    parser.add_argument("--shrink", action="store_true", help="let schemathesis shrink failing cases")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, the copy, the cluster's files)")
    parser.add_argument("--log-level", default="notice", help="rapport serve's log level (default notice)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big") % 100000
    rapport = os.path.abspath(args.rapport)
    if not os.access(rapport, os.X_OK):
        print(f"api-fuzz: {rapport} is not an executable; build it first (swift build --product rapport)", file=sys.stderr)
        return 2
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        print("api-fuzz: schemathesis is not installed (make api-fuzz installs it)", file=sys.stderr)
        return 2

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)

    started = time.time()
    inst = Installation(rapport, args.log_level)
    passes, notes = [], []
    failures = []
    status = 0
    try:
        say(f"seed {seed}; setting up in {inst.folder}")
        inst.start_cluster()
        a, b = Tenant("A", "Alpha", "alpha.example"), Tenant("B", "Beta", "beta.example")
        operator = seed_tenants(inst, [a, b])
        revoked = inst.rapport("key", "create", "--tenant", a.id, "--email", "gone@alpha.example", "--role", "viewer",
                               "--environment", a.environments["eu"], "--label", "revoked")
        _, keys = inst.api("GET", f"/v1/tenants/{a.id}/keys", a.keys["owner"])
        revoked_id = next(k["id"] for k in keys["keys"] if k["name"] == "revoked")
        inst.api("DELETE", f"/v1/tenants/{a.id}/keys/{revoked_id}", a.keys["owner"])
        _, raw = inst.api("GET", "/openapi.json")
        schema, replaced = patch_schema(raw)
        work = os.path.join(inst.folder, "passes")
        os.makedirs(work)
        schema_path = os.path.join(work, "openapi.json")
        with open(schema_path, "w") as f:
            json.dump(schema, f)
        setup_seconds = time.time() - started
        say(f"setup done in {setup_seconds:.0f} s: tenants {a.id} (A) and {b.id} (B); server on {inst.base}; "
            f"{len(schema['paths'])} paths ({replaced} external schema inlined)")
        passes = plan(a, b, operator, revoked)
        if args.only:
            passes = [p for p in passes if any(o.lower() in p.name.lower() for o in args.only)]
        # restores between passes, the edge probes (~15 s), teardown
        remaining = args.seconds - setup_seconds - 25 - 2 * len(passes)
        weights = sum(p.weight for p in passes)
        # A pass needs ~15 s at least: schemathesis itself takes a few to start and probe the server.
        unit = max(15.0, remaining / weights) if weights else 0
        if weights and remaining / weights < 15.0:
            notes.append(f"--seconds {args.seconds:.0f} is short for {len(passes)} passes: each got its 15 s minimum "
                         "and the run took longer")
        for p in list(passes):
            for t in (a, b):
                restore_fixture(inst, t)
                for role in ROLES:
                    note = ensure_key(inst, t, role)
                    if note:
                        notes.append(f"before '{p.name}': {note}")
                refresh_sacrificial(inst, t)
            if p.edge:
                say("edge probes")
                passes[passes.index(p)] = p = edge_probes(inst, a)
                say(f"edge probes: {sum(1 for r in p.records if r.get('event') == 'request')} requests, "
                    f"{sum(1 for r in p.records if r.get('event') == 'failure')} failures, {p.seconds:.0f} s")
                continue
            share = unit * p.weight
            say(f"pass '{p.name}': {share:.0f} s")
            run_pass(inst, p, schema, schema_path, work, share, seed, [a, b], args.shrink)
            os.makedirs(os.path.join(args.report_dir, "schemathesis"), exist_ok=True)
            shutil.copy(p.output_path, os.path.join(args.report_dir, "schemathesis", os.path.basename(os.path.dirname(p.output_path)) + ".out"))
            n = sum(1 for r in p.records if r.get("event") == "request")
            f = sum(1 for r in p.records if r.get("event") == "failure")
            say(f"pass '{p.name}': {n} requests, {f} failures, {p.seconds:.0f} s (schemathesis exit {p.exit_code})")
            if 0 < n < 30:
                notes.append(f"pass '{p.name}' sent only {n} requests (a loaded machine, or too short a budget)")
            if n == 0:
                notes.append(f"pass '{p.name}' sent no request; schemathesis said:\n" + open(p.output_path).read()[-3000:])
                status = 2
        for t in (a, b):
            for role in ROLES:
                note = ensure_key(inst, t, role)
                if note:
                    notes.append(f"after the last pass: {note}")
        failures = summarize(passes, notes, args.report_dir, time.time() - started, setup_seconds, seed)
        if args.keep:
            for p in passes:
                say(f"schemathesis output of '{p.name}': {p.output_path}")
    except HarnessError as error:
        print(f"api-fuzz: setup failed: {error}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt as error:
        print(f"api-fuzz: interrupted ({error})", file=sys.stderr)
        status = 130
    finally:
        stop_running()
        inst.close(keep=args.keep)
    if status:
        return status
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
