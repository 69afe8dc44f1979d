#!/usr/bin/env python3
"""Differential test: `rapport parse` against Python's own libraries on corpora nobody here wrote.

Mail (CPython's Lib/test/test_email/data, enmime's CC0 testdata) is compared
with the `email` package (policy.default for addresses and dates); calendars
(the test calendars shipped in the `icalendar` wheel) with `icalendar` +
`recurring-ical-events`, over one fixed window.

Every difference must be listed in ALLOWED below with the fields it may touch
and why Rapport is right (docs/ingest.md explains each in more words). An
unlisted difference, a listed one that no longer happens, or a missing corpus
fails the run. The last line is "N passed, M failed".

Usage: differential.py --rapport PATH --corpora DIR [--verbose]
"""
from __future__ import annotations

import argparse
import datetime as dt
import email
import email.parser
import email.policy
import email.utils
import json
import os
import re
import subprocess
import warnings
import sys
from collections import Counter
from pathlib import Path

UTC = dt.timezone.utc
WINDOW_FROM = dt.datetime(1990, 1, 1, tzinfo=UTC)
WINDOW_TO = dt.datetime(2030, 1, 1, tzinfo=UTC)

# ---------------------------------------------------------------------------
# The allow-list. Key: corpus path (relative to --corpora). Value: the set of
# fields that may differ, and why Rapport's answer is the right one. Nothing
# is skipped: the listed file is still compared on every other field, and an
# entry whose difference has gone away is reported as stale.
# ---------------------------------------------------------------------------
ALLOWED: dict[str, tuple[set[str], str]] = {
    # --- mail ---------------------------------------------------------------
    # From holds a good mailbox, then a broken encoded word; Python's header
    # registry raises ValueError for the whole field. Rapport keeps the good
    # mailbox and skips the malformed entry.
    "enmime/usr/share/gocode/src/github.com/jhillyerd/enmime/testdata/mail/qp-utf8-header-recursed.raw": ({"from"}, "Python raises on the field; Rapport keeps the first, valid mailbox"),

    # --- calendars where the Python libraries raise -------------------------
    # The VEVENT has two DTSTART lines (RFC 5545 allows one); icalendar hands
    # back a list and recurring-ical-events raises AttributeError. Rapport
    # uses the first DTSTART.
    "icalendar/icalendar/tests/calendars/america_new_york_forward_reference.ics": ({"python-error"}, "two DTSTARTs: Rapport uses the first"),
    "icalendar/icalendar/tests/calendars/pacific_fiji.ics": ({"python-error"}, "two DTSTARTs: Rapport uses the first"),
    # Fuzzer-made garbage: icalendar raises ValueError; Rapport finds no event
    # with a usable DTSTART and prints nothing.
    "icalendar/icalendar/tests/calendars/fuzz_testcase_invalid_month.ics": ({"python-error"}, "garbage: Python raises, Rapport yields no meeting"),
    "icalendar/icalendar/tests/calendars/fuzz_testcase_vtimezone_lone_cr.ics": ({"python-error"}, "garbage: Python raises, Rapport yields no meeting"),
    # A content line "X" without a colon makes icalendar reject the file;
    # Rapport skips the line and reads the one valid event.
    "icalendar/icalendar/tests/calendars/issue_104_broken_calendar.ics": ({"python-error"}, "one bad line: Rapport skips it and reads the event"),
    # recurring-ical-events raises TypeError (datetime vs time); Rapport reads
    # the three events (New York VTIMEZONE, UTC, floating), checked by hand.
    "icalendar/icalendar/tests/calendars/multiple_timezones.ics": ({"python-error"}, "Python raises TypeError; Rapport reads the 3 events"),
    # TZOFFSETFROM:+5744 is no valid offset; icalendar rejects the file.
    # Rapport ignores that observance; the file has no VEVENT.
    "icalendar/icalendar/tests/calendars/parsing_error_in_UTC_offset.ics": ({"python-error"}, "invalid offset: Python raises; no VEVENT in the file"),

    # --- calendars where the Python libraries drop a whole event ------------
    # DTSTART;;VALUE=DATE-TIME has an empty parameter; icalendar marks DTSTART
    # broken and the event vanishes. Rapport ignores the empty parameter.
    "icalendar/icalendar/tests/calendars/broken_ical.ics": ({"occurrences"}, "empty parameter ignored; the event is kept"),
    # DURATION:P999999999999999999W is out of any range; the event vanishes in
    # Python. Rapport ignores the impossible DURATION and keeps the event (an
    # instant at its valid DTSTART).
    "icalendar/icalendar/tests/calendars/invalid_duration.ics": ({"occurrences"}, "impossible DURATION ignored; the event is kept"),
    # RRULE:FREQ=INVALID_TYPE...: the event vanishes in Python. Rapport drops
    # the unusable rule and keeps the DTSTART occurrence.
    "icalendar/icalendar/tests/calendars/issue_1081_invalid_rrule_freq.ics": ({"occurrences"}, "bad RRULE ignored; DTSTART occurrence kept"),
    # Exchange writes BYDAY=MO, TU, WE, TH, FR (with spaces); the series
    # vanishes in Python. Rapport trims the spaces and expands the 14 weekday
    # occurrences of the stand-up (3 to 22 July 2015, 08:00Z).
    "icalendar/icalendar/tests/calendars/issue_165_missing_event.ics": ({"occurrences"}, "spaces in BYDAY tolerated; 14 real occurrences"),
    # The VEVENT sits inside an unknown top-level component MYCOMPTOO, not in
    # a VCALENDAR (RFC 5545 section 3.6: events are components of a calendar).
    # Rapport reads events of VCALENDARs and bare top-level VEVENTs only.
    "icalendar/icalendar/tests/calendars/issue_178_custom_component_contains_other.ics": ({"occurrences"}, "VEVENT outside any VCALENDAR is not read"),
    # The second of two identical events carries an empty EXDATE;VALUE=DATE:
    # line; icalendar drops that event. Rapport ignores the empty EXDATE and
    # expands the event like its twin (20 occurrences each).
    "icalendar/icalendar/tests/calendars/parsing_error.ics": ({"occurrences"}, "empty EXDATE ignored; the event is kept"),
    # RFC 7529 RSCALE (CHINESE, HEBREW, ...) rules: recurring-ical-events drops
    # each event. Rapport does not expand non-Gregorian rules either, but keeps
    # each event's DTSTART occurrence.
    "icalendar/icalendar/tests/calendars/rfc_7529.ics": ({"occurrences"}, "RSCALE rule not expanded; DTSTART occurrence kept"),
    # RDATE;VALUE=PERIOD with one invalid period (199709T180000Z/PT5H30M): the
    # event vanishes in Python. Rapport skips the bad value and keeps DTSTART
    # and the valid period.
    "icalendar/icalendar/tests/events/issue_464_invalid_rdate.ics": ({"occurrences"}, "one bad RDATE value skipped; the rest kept"),
}

MAIL_FIELDS = ["message_id", "from", "sender", "to", "cc", "bcc", "sent_at", "in_reply_to", "references", "bulk"]


def rfc3339(d: dt.datetime | dt.date) -> str:
    if not isinstance(d, dt.datetime):
        d = dt.datetime(d.year, d.month, d.day, tzinfo=UTC)
    elif d.tzinfo is None:
        d = d.replace(tzinfo=UTC)  # floating time: read as UTC, as Rapport documents
    return d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------- mail ------------------------------------

def py_addresses(msg, name: str) -> list[str]:
    out = []
    for header in msg.get_all(name, []) or []:
        for a in getattr(header, "addresses", ()):
            # An entry without a local part or a domain is no email address; Rapport drops it as malformed.
            if a.username and a.domain:
                out.append(a.addr_spec.lower())
    return out


def py_ids(raw: str | None) -> list[str]:
    if raw is None:
        return []
    raw = str(raw)
    # msg-id per RFC 5322 section 3.6.4: "<" id-left "@" id-right ">" (comments and folding removed).
    return ["".join(m.split()) for m in re.findall(r"<([^<>]*)>", re.sub(r"\([^()]*\)", "", raw)) if m.strip()]


def first_word(raw) -> str:
    if raw is None:
        return ""
    s = re.sub(r"\([^()]*\)", " ", str(raw))
    parts = re.split(r"[\s;]+", s.strip())
    return parts[0].lower() if parts else ""


def py_mail(path: Path) -> dict:
    data = path.read_bytes()
    msg = email.parser.BytesParser(policy=email.policy.default).parsebytes(data, headersonly=True)
    raw = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data, headersonly=True)
    rec: dict = {}

    def safe(field, fn):
        try:
            rec[field] = fn()
        except Exception as e:  # a header the library cannot parse
            rec[field] = f"<python error: {type(e).__name__}>"

    safe("from", lambda: (py_addresses(msg, "from") or [None])[0])
    safe("sender", lambda: (py_addresses(msg, "sender") or [None])[0])
    for f in ("to", "cc", "bcc"):
        safe(f, lambda f=f: py_addresses(msg, f))

    def date():
        h = msg["date"]
        if h is None or h.datetime is None:
            return None
        return rfc3339(h.datetime)

    safe("sent_at", date)
    safe("message_id", lambda: (py_ids(raw.get("message-id")) or [None])[0])
    safe("in_reply_to", lambda: py_ids(raw.get("in-reply-to")))
    safe("references", lambda: py_ids(raw.get("references")))

    def bulk():
        auto = first_word(raw.get("auto-submitted"))
        return bool(
            (raw.get("list-id") or "").strip()
            or (raw.get("list-unsubscribe") or "").strip()
            or first_word(raw.get("precedence")) in ("bulk", "list", "junk")
            or (auto and auto != "no")
        )

    safe("bulk", bulk)
    return rec


# ------------------------------- calendars ---------------------------------

def cal_address(v) -> str | None:
    s = str(v).strip()
    if s.lower().startswith("mailto:"):
        s = s[7:]
    s = s.strip().lower()
    if "@" not in s or s.startswith("@") or s.endswith("@") or " " in s:
        return None
    return s


def py_ics(path: Path) -> list[dict]:
    import icalendar
    import recurring_ical_events

    data = path.read_bytes()
    cals = icalendar.Calendar.from_ical(data, multiple=True)
    out = []
    for cal in cals:
        # RFC 5545 requires DTSTART in a VEVENT; Rapport skips events without one, while
        # recurring-ical-events raises KeyError for the whole file (skip_bad_series does not
        # catch it). Drop them here so the rest of the file is still compared.
        if cal.name == "VEVENT" and "DTSTART" not in cal:
            continue
        for comp in cal.walk():
            comp.subcomponents[:] = [c for c in comp.subcomponents if not (c.name == "VEVENT" and "DTSTART" not in c)]
        method_cancel = str(cal.get("METHOD", "")).strip().upper() == "CANCEL"
        for ev in recurring_ical_events.of(cal, skip_bad_series=True).between(WINDOW_FROM, WINDOW_TO):
            start = ev["DTSTART"].dt
            end = ev["DTEND"].dt if "DTEND" in ev else start
            att = ev.get("ATTENDEE", [])
            if not isinstance(att, list):
                att = [att]
            out.append({
                "uid": str(ev.get("UID", "")),
                "start": rfc3339(start),
                "end": rfc3339(end),
                "all_day": not isinstance(start, dt.datetime),
                "organizer": cal_address(ev["ORGANIZER"]) if "ORGANIZER" in ev else None,
                "attendees": sorted(a for a in (cal_address(x) for x in att) if a),
                "cancelled": str(ev.get("STATUS", "")).upper() == "CANCELLED" or method_cancel,
            })
    return out


# --------------------------------- runner ----------------------------------

def rapport(binary: str, path: Path) -> tuple[list[dict], str | None]:
    p = subprocess.run(
        [binary, "parse", "--from", rfc3339(WINDOW_FROM), "--to", rfc3339(WINDOW_TO), str(path)],
        capture_output=True, timeout=300,
    )
    records = [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]
    return records, (p.stderr.decode().strip() or None) if p.returncode else None


def compare_mail(binary, path) -> dict[str, tuple]:
    ours, err = rapport(binary, path)
    if err or len(ours) != 1:
        return {"record": (f"{len(ours)} records, error {err}", "1 record")}
    mine = ours[0]
    theirs = py_mail(path)
    return {f: (mine[f], theirs[f]) for f in MAIL_FIELDS if mine[f] != theirs[f]}


def meeting_key(m):
    return (m["uid"], m["start"])


def py_ics_isolated(path: Path):
    """py_ics in a fresh process: icalendar caches VTIMEZONEs by TZID globally, so one file's
    definition would otherwise leak into the next file that names the same TZID."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_py_ics_or_error, (path,))


def _py_ics_or_error(path: Path):
    import warnings as w

    w.simplefilter("ignore")
    try:
        return py_ics(path), None
    except Exception as e:
        return None, f"{type(e).__name__}: {e}"[:200]


def compare_ics(binary, path) -> dict[str, tuple]:
    ours, err = rapport(binary, path)
    theirs, perr = py_ics_isolated(path)
    diffs: dict[str, tuple] = {}
    if err:
        diffs["error"] = (err, None)
    if theirs is None:
        diffs["python-error"] = (f"{len(ours)} occurrences", perr)
        return diffs
    mine_norm = [{
        "uid": m["uid"], "start": m["start"], "end": m["end"], "all_day": m["all_day"], "organizer": m["organizer"],
        "attendees": sorted(a["address"] for a in m["attendees"]), "cancelled": m["cancelled"],
    } for m in ours]
    a = Counter(meeting_key(m) for m in mine_norm)
    b = Counter(meeting_key(m) for m in theirs)
    if a != b:
        only_mine = sorted((a - b).elements())
        only_theirs = sorted((b - a).elements())
        diffs["occurrences"] = (f"{len(mine_norm)} (only Rapport: {only_mine[:3]}{'...' if len(only_mine) > 3 else ''})",
                                f"{len(theirs)} (only Python: {only_theirs[:3]}{'...' if len(only_theirs) > 3 else ''})")
    by_key = {}
    for m in theirs:
        by_key.setdefault(meeting_key(m), []).append(m)
    for m in mine_norm:
        cands = by_key.get(meeting_key(m))
        if not cands:
            continue
        t = cands[0]
        for f in ("end", "all_day", "organizer", "attendees", "cancelled"):
            if m[f] != t[f] and f not in diffs:
                diffs[f] = (m[f], t[f])
    return diffs


def corpus_files(root: Path) -> list[tuple[str, Path]]:
    groups = {
        "cpython-email": (root / "cpython/usr/lib/python3.11/test/test_email/data", "msg_*.txt"),
        "enmime": (root / "enmime/usr/share/gocode/src/github.com/jhillyerd/enmime/testdata", "**/*.raw"),
        "icalendar": (root / "icalendar/icalendar/tests", "**/*.ics"),
    }
    files = []
    for name, (base, pattern) in groups.items():
        found = sorted(base.glob(pattern))
        if not found:
            sys.exit(f"differential: corpus {name} is missing under {base}; run `make ingest-test-deps` first")
        files += [(str(p.relative_to(root)), p) for p in found]
    return files


def main() -> int:
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--rapport", required=True)
    ap.add_argument("--corpora", required=True)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    root = Path(args.corpora)
    passed = failed = allowed_count = 0
    seen_allowed = set()
    for rel, path in corpus_files(root):
        diffs = compare_ics(args.rapport, path) if path.suffix == ".ics" else compare_mail(args.rapport, path)
        allow = ALLOWED.get(rel)
        if allow:
            seen_allowed.add(rel)
        if not diffs:
            if allow:
                print(f"STALE   {rel}: listed in ALLOWED but no longer differs")
                failed += 1
            else:
                passed += 1
                if args.verbose:
                    print(f"ok      {rel}")
            continue
        extra = set(diffs) - (allow[0] if allow else set())
        if allow and not extra:
            allowed_count += 1
            passed += 1
            if args.verbose:
                print(f"allowed {rel}: {', '.join(sorted(diffs))} — {allow[1]}")
            continue
        failed += 1
        print(f"DIFF    {rel}")
        for f, (mine, theirs) in diffs.items():
            mark = "" if f in extra else " (allowed)"
            print(f"    {f}{mark}:\n      rapport: {mine!r}\n      python:  {theirs!r}")
    # Besides the corpora: 300 generated recurring events (the benchmark's generator: BYDAY
    # ordinals, BYSETPOS, BYMONTHDAY=-1, INTERVAL, WKST, UNTIL, EXDATE; IANA, Windows and UTC
    # zones) over one year, which must match occurrence for occurrence.
    global WINDOW_FROM, WINDOW_TO
    import tempfile
    sys.path.insert(0, str(Path(__file__).parent))
    import bench

    saved = (WINDOW_FROM, WINDOW_TO)
    WINDOW_FROM, WINDOW_TO = dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        gen = Path(tmp) / "generated-300.ics"
        bench.gen_ics(gen, 300)
        diffs = compare_ics(args.rapport, gen)
    WINDOW_FROM, WINDOW_TO = saved
    if diffs:
        failed += 1
        print("DIFF    generated-300.ics")
        for f, (mine, theirs) in diffs.items():
            print(f"    {f}:\n      rapport: {mine!r}\n      python:  {theirs!r}")
    else:
        passed += 1
        if args.verbose:
            print("ok      generated-300.ics")
    for rel in sorted(set(ALLOWED) - seen_allowed):
        print(f"STALE   {rel}: listed in ALLOWED but not in the corpora")
        failed += 1
    print(f"differential: {allowed_count} files differ only as listed in ALLOWED (see docs/ingest.md)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
