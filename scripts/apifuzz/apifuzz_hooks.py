"""Schemathesis hooks and checks for scripts/apifuzz/api_fuzz.py (loaded with SCHEMATHESIS_HOOKS).

One `st run` is one pass: one key (or none) against the patched schema. The
pass is described by the JSON file named in APIFUZZ_PASS_FILE (written by
api_fuzz.py); every request and every failure is appended to the pass's JSONL
log, which api_fuzz.py reads for its summary and exit status.

Path parameters: before each call, a parameter whose name has a pool (tenant,
environment, segment, …) is replaced by a real id: from the pass's own tenant
(`own`), from the other tenant (`foreign`) or left as generated (malformed and
unknown ids), chosen by a hash of the generated value so a case maps to the
same request every time it is replayed. Keys and role assignments that the
harness uses are never deleted: such a DELETE is pointed at a sacrificial one.

Checks (each raises, so schemathesis prints it with a curl line, and logs):
  apifuzz_no_server_error   no 5xx
  apifuzz_error_shape       a 4xx JSON body is {"error": {"code", "message", "field"?}};
                            a /v1 4xx is JSON at all
  apifuzz_alive             GET /health/live answers 200 after the request
  apifuzz_cross_tenant      a path naming another tenant's id is never 2xx; when it is not
                            404, the same request with an id that names nothing must get the
                            same status (else the answer tells the id exists)
  apifuzz_read_only         a viewer's key changes nothing (no 2xx on a /v1 write)
  apifuzz_authentication    no 2xx on /v1 without a valid key (the anonymous pass)
"""
import gzip
import hashlib
import json
import os
import sys
import threading
import time
import uuid

import requests
import schemathesis

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from api_fuzz import error_shape_problems  # noqa: E402  (one definition of the error shape)

PASS = json.load(open(os.environ["APIFUZZ_PASS_FILE"]))
BASE = PASS["base_url"].rstrip("/")
LOCK = threading.Lock()
LOG = open(PASS["log"], "a", buffering=1)
FOREIGN = {param: set(values) for param, values in PASS.get("pools", {}).get("foreign", {}).items()}
PROBE = requests.Session()
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def log(record):
    record.setdefault("t", round(time.time(), 3))
    record.setdefault("pass", PASS["name"])
    with LOCK:
        LOG.write(json.dumps(record, default=str) + "\n")


def choose(param, value, salt=""):
    """Pick a pool id, or keep the generated value: by a hash of the case, so a replay gets the same."""
    pools = PASS.get("pools", {})
    own = pools.get("own", {}).get(param) or []
    foreign = pools.get("foreign", {}).get(param) or []
    if not own and not foreign:
        return value
    digest = int.from_bytes(hashlib.sha256(f"{PASS['seed']}|{salt}|{param}|{value!r}".encode()).digest()[:8], "big")
    bucket = digest % 100
    weights = PASS.get("weights", {"own": 80, "foreign": 5})
    if own and bucket < weights["own"]:
        return own[(digest >> 8) % len(own)]
    if foreign and bucket < weights["own"] + weights["foreign"]:
        return foreign[(digest >> 8) % len(foreign)]
    return value


def body_excerpt(data, limit=400):
    if data is None:
        return None
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    text = data[:limit].decode("utf-8", "replace")
    return text + ("…" if len(data) > limit else "")


def request_record(case, response=None, request=None):
    request = request if request is not None else (response.request if response is not None else None)
    record = {
        "method": (request.method if request is not None else case.method).upper(),
        "template": case.operation.path,
        "path_parameters": dict(case.path_parameters or {}),
    }
    if request is not None:
        url = request.url
        record["url"] = url[len(BASE):] if url.startswith(BASE) else url
        record["request_content_type"] = request.headers.get("Content-Type")
        auth = request.headers.get("Authorization")
        record["auth"] = None if auth is None else (auth[:16] + "…" if len(auth) > 16 else auth)
        record["request_body"] = body_excerpt(request.body, 2000)
    if response is not None:
        record["status"] = response.status_code
        record["content_type"] = (response.headers.get("content-type") or [None])[0]
        record["response_body"] = body_excerpt(response.content)
        record["elapsed"] = round(response.elapsed, 3)
    return record


def fail(kind, case, response, message):
    record = request_record(case, response)
    record.update(event="failure", kind=kind, message=message)
    log(record)
    raise AssertionError(f"[{kind}] {message}")


# --- serializers for the non-JSON bodies the schema declares ---------------------------------------

@schemathesis.serializer("application/x-ndjson")
def ndjson_serializer(ctx, value):
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, list):
        data = "".join(json.dumps(item) + "\n" for item in value).encode("utf-8", "surrogatepass")
    else:
        data = (json.dumps(value) + "\n").encode("utf-8", "surrogatepass")
    headers = {k.lower(): v for k, v in (ctx.case.headers or {}).items()}
    if "gzip" not in str(headers.get("content-encoding", "")).lower():
        return data
    # Content-Encoding: gzip (declared by the patched schema): a whole gzip stream, a truncated one
    # (no trailer), one with bytes after its trailer, or the plain bytes, by a hash of the body.
    packed = gzip.compress(data)
    variant = hashlib.sha256(data).digest()[0] % 4
    return [packed, packed[:-6], packed + b"\x00junk", data][variant]


@schemathesis.serializer("text/csv")
def csv_serializer(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()


# --- request shaping and logging ---------------------------------------------------------------

@schemathesis.hook
def before_call(context, case, kwargs):
    params = case.path_parameters
    if params:
        for name in list(params):
            salt = repr((case.method, case.operation.path, sorted(params.items(), key=repr), case.query, case.body))[:4000]
            params[name] = choose(name, params[name], salt=salt)
        if case.method.upper() == "DELETE":
            for name, replacements in PASS.get("protect", {}).items():
                if name in params and params[name] in replacements:
                    params[name] = replacements[params[name]]
    if PASS.get("anonymous"):
        variants = PASS["anonymous_variants"]
        digest = int.from_bytes(hashlib.sha256(repr((case.method, case.formatted_path, case.query, case.body)).encode()).digest()[:4], "big")
        header = variants[digest % len(variants)]
        headers = dict(case.headers or {})
        headers.pop("Authorization", None)
        headers.pop("authorization", None)
        if header is not None:
            headers["Authorization"] = header
        case.headers = headers


@schemathesis.hook
def after_call(context, case, response):
    record = request_record(case, response)
    record["event"] = "request"
    log(record)


@schemathesis.hook
def after_network_error(context, case, request):
    record = request_record(case, request=request)
    record.update(event="failure", kind="no_response",
                  message="no response (connection refused or reset, or no answer within the request timeout)")
    log(record)


# --- checks ----------------------------------------------------------------------------------

@schemathesis.check
def apifuzz_no_server_error(ctx, response, case):
    if response.status_code >= 500:
        fail("server_error", case, response, f"{response.status_code} from {case.method.upper()} {case.operation.path}")


@schemathesis.check
def apifuzz_error_shape(ctx, response, case):
    status = response.status_code
    if not 400 <= status < 500:
        return
    content_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip().lower()
    if content_type != "application/json":
        if case.operation.path.startswith("/v1"):
            fail("error_not_json", case, response, f"{status} with content-type {content_type or 'none'} on a /v1 route")
        return
    problems = error_shape_problems(status, case.operation.path, response.content)
    if problems:
        fail("error_shape", case, response, f"{status}: " + "; ".join(problems))


@schemathesis.check
def apifuzz_alive(ctx, response, case):
    last = None
    for attempt in range(4):
        try:
            answer = PROBE.get(BASE + "/health/live", timeout=5)
            if answer.status_code == 200:
                return
            last = f"GET /health/live answered {answer.status_code}"
        except requests.RequestException as error:
            last = f"GET /health/live failed: {type(error).__name__}"
        time.sleep(0.5)
    fail("server_down", case, response, f"the server is not alive after this request ({last})")


def unknown_like(value):
    """An id of the same form that names nothing."""
    if len(value) == 36 and value.count("-") == 4:
        return str(uuid.uuid4())
    return "NO-SUCH-" + uuid.uuid4().hex[:8]


@schemathesis.check
def apifuzz_cross_tenant(ctx, response, case):
    request = response.request
    if PASS.get("key") is None or request.headers.get("Authorization") != f"Bearer {PASS['key']}":
        return  # no valid key on this request (schemathesis' own auth probes): not a tenant question
    named = {name: value for name, value in (case.path_parameters or {}).items() if value in FOREIGN.get(name, ())}
    if not named:
        return
    described = ", ".join(f"{name}={value}" for name, value in sorted(named.items()))
    status = response.status_code
    log({"event": "cross", "status": status})
    if 200 <= status < 300:
        fail("cross_tenant_2xx", case, response, f"{status} for another tenant's {described}")
    if status == 404 or status >= 500:
        return
    # Not 404: the answer must be the one an id that names nothing gets (a 403 for a role missing on
    # the caller's own environment, a 400 for a bad body, …); a different one tells the id exists.
    path, sep, rest = request.url.partition("?")
    for value in named.values():
        path = path.replace("/" + value, "/" + unknown_like(value))
    try:
        other = PROBE.request(request.method, path + sep + rest, headers=dict(request.headers), data=request.body, timeout=10)
    except requests.RequestException as error:
        return  # apifuzz_alive reports a dead server
    if other.status_code != status:
        fail("cross_tenant_leak", case, response,
             f"{status} for another tenant's {described}, but {other.status_code} for an id that names nothing")


@schemathesis.check
def apifuzz_read_only(ctx, response, case):
    if PASS.get("read_only") and case.method.upper() in WRITE_METHODS and case.operation.path.startswith("/v1") \
            and 200 <= response.status_code < 300:
        fail("viewer_wrote", case, response, f"a viewer's key got {response.status_code} on a write")


@schemathesis.check
def apifuzz_authentication(ctx, response, case):
    if PASS.get("anonymous") and case.operation.path.startswith("/v1") and 200 <= response.status_code < 300:
        fail("unauthenticated_2xx", case, response, f"{response.status_code} without a valid key")
