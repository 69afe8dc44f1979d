#!/usr/bin/env python3
"""Ingest benchmarks: each Rapport figure beside its Python baseline, measured in the same run.

1. Header-only parse of a generated ~1 GB mbox (100,000 messages with bodies):
   `rapport-dev parse-bench mbox` vs Python's mailbox.mbox + email.parser.BytesHeaderParser
   reading the same fields (addresses, date, ids, bulk headers). Goal: >= 20x.
2. Expanding one year of 1,000 recurring events: `rapport-dev parse-bench ics` vs
   icalendar + recurring-ical-events (both from the file's bytes). Goal: >= 20x.
3. NDJSON: 1,000,000 records parsed by `rapport-dev parse-bench ndjson`, records per second
   (Python's json.loads per line is shown for context).

Usage: bench.py --rapport .build-release/release/rapport [--dir .cache/bench] [--messages 100000]
                [--table-rows FILE]   (default $RAPPORT_BENCH_TABLE: appends the summary rows as TSV
                                       for `make bench`'s table, see scripts/bench/table.py)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore "
         "et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip "
         "ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum").split()


def gen_mbox(path: Path, messages: int, target_bytes: int) -> None:
    rnd = random.Random(42)
    bodies = []
    for _ in range(64):
        lines = []
        while sum(len(l) + 1 for l in lines) < target_bytes // messages - 900:
            lines.append(" ".join(rnd.choice(WORDS) for _ in range(12)))
            if rnd.random() < 0.01:
                lines.append(">From the quoted archive, as mboxrd writes it")
            # No unquoted "From " body lines: Python's mailbox would split there and
            # parse more (smaller) messages than Rapport, which is no fair comparison.
        bodies.append("\n".join(lines).encode())
    with path.open("wb", buffering=16 << 20) as f:
        for i in range(messages):
            a, b, c = rnd.randrange(500), rnd.randrange(500), rnd.randrange(500)
            day = 1 + i % 28
            head = (
                f"From sender{a}@example.com Mon Jan {day:2d} 10:{i % 60:02d}:00 2024\n"
                f"Return-Path: <sender{a}@example.com>\n"
                f"Received: from mx{a}.example.com (mx{a}.example.com [192.0.2.{a % 250}])\n"
                f"\tby mail.example.org with ESMTPS id {i:08x}; Mon, {day} Jan 2024 10:{i % 60:02d}:00 +0000\n"
                f"From: \"Sender {a}, Jr.\" <Sender{a}@Example.com>\n"
                f"To: Person {b} <person{b}@customer{b % 40}.example>, =?UTF-8?Q?J=C3=B6rg_{c}?= <joerg{c}@example.de>\n"
                f"Cc: team{c}: a{c}@example.net, b{c}@example.net;\n"
                f"Subject: Quarterly review {i}\n"
                f"Date: Mon, {day} Jan 2024 10:{i % 60:02d}:00 +0100\n"
                f"Message-ID: <{i}.{a}@mail.example.com>\n"
                f"In-Reply-To: <{i - 1}.{b}@mail.example.com>\n"
                f"References: <{i - 2}.{c}@mail.example.com>\n <{i - 1}.{b}@mail.example.com>\n"
                + ("List-Id: <news.example.com>\nPrecedence: bulk\n" if i % 10 == 0 else "")
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
            ).encode()
            f.write(head)
            f.write(bodies[i % len(bodies)])
            f.write(b"\n\n")


def python_mbox(path: Path) -> int:
    import email.utils
    import mailbox
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    parser = BytesHeaderParser(policy=compat32)
    box = mailbox.mbox(str(path), factory=None, create=False)
    n = 0
    for key in box.iterkeys():
        with box.get_file(key) as fh:
            msg = parser.parse(fh)
        email.utils.getaddresses(msg.get_all("from", []))
        email.utils.getaddresses(msg.get_all("sender", []))
        for field in ("to", "cc", "bcc"):
            email.utils.getaddresses(msg.get_all(field, []))
        d = msg.get("date")
        if d:
            try:
                email.utils.parsedate_to_datetime(d)
            except (TypeError, ValueError):
                pass
        for field in ("message-id", "in-reply-to", "references", "list-id", "list-unsubscribe",
                      "precedence", "auto-submitted"):
            msg.get(field)
        n += 1
    return n


def gen_ics(path: Path, events: int) -> None:
    rnd = random.Random(7)
    zones = ["Europe/Berlin", "America/New_York", "W. Europe Standard Time", "Asia/Tokyo", "UTC"]
    rules = [
        "FREQ=DAILY;INTERVAL=1",
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU",
        "FREQ=MONTHLY;BYDAY=2TU",
        "FREQ=MONTHLY;BYMONTHDAY=1,15,-1",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=YEARLY;BYMONTH=3,6,9,12;BYDAY=-1FR",
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T000000Z",
    ]
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//rapport//bench//EN"]
    for i in range(events):
        z = zones[i % len(zones)]
        start = f"2024{1 + i % 12:02d}{1 + i % 28:02d}T{8 + i % 9:02d}{(i * 7) % 60:02d}00"
        tz = "" if z == "UTC" else f";TZID={z}"
        out += [
            "BEGIN:VEVENT",
            f"UID:bench-{i}@example.com",
            f"ORGANIZER;CN=Org {i}:mailto:org{i % 50}@example.com",
            f"ATTENDEE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:a{i % 300}@customer.example",
            f"ATTENDEE;PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT:mailto:b{i % 300}@customer.example",
            f"DTSTART{tz}:{start}" + ("Z" if z == "UTC" else ""),
            "DURATION:PT45M",
            f"RRULE:{rules[i % len(rules)]}",
            f"EXDATE{tz}:2025{1 + i % 12:02d}{1 + i % 28:02d}T{8 + i % 9:02d}{(i * 7) % 60:02d}00" + ("Z" if z == "UTC" else ""),
            "END:VEVENT",
        ]
    out.append("END:VCALENDAR")
    path.write_text("\r\n".join(out) + "\r\n")


def python_ics(path: Path) -> int:
    import datetime as dt
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar.from_ical(path.read_bytes())
    utc = dt.timezone.utc
    return len(list(recurring_ical_events.of(cal).between(dt.datetime(2025, 1, 1, tzinfo=utc), dt.datetime(2026, 1, 1, tzinfo=utc))))


def gen_ndjson(path: Path, records: int) -> None:
    with path.open("w", buffering=16 << 20) as f:
        for i in range(records):
            if i % 3 == 2:
                f.write(json.dumps({
                    "kind": "meeting", "uid": f"u{i}@example.com", "recurrence_id": None,
                    "organizer": f"org{i % 50}@example.com",
                    "attendees": [{"address": f"a{i % 300}@customer.example", "partstat": "ACCEPTED",
                                   "role": "REQ-PARTICIPANT", "cutype": "INDIVIDUAL"}],
                    "start": "2025-03-04T09:00:00Z", "end": "2025-03-04T09:45:00Z", "all_day": False, "cancelled": False,
                }, separators=(",", ":")) + "\n")
            else:
                f.write(json.dumps({
                    "kind": "email", "message_id": f"{i}@mail.example.com", "from": f"s{i % 500}@example.com",
                    "sender": None, "to": [f"p{i % 400}@customer.example", f"q{i % 90}@example.de"], "cc": [], "bcc": [],
                    "sent_at": "2025-03-04T09:00:00Z", "in_reply_to": [f"{i - 1}@mail.example.com"],
                    "references": [f"{i - 2}@mail.example.com", f"{i - 1}@mail.example.com"], "bulk": False,
                }, separators=(",", ":")) + "\n")


def python_ndjson(path: Path) -> int:
    n = 0
    with path.open("rb") as f:
        for line in f:
            json.loads(line)
            n += 1
    return n


def timed(fn, *args):
    t = time.perf_counter()
    r = fn(*args)
    return r, time.perf_counter() - t


def rapport(binary: str, *args: str) -> dict:
    p = subprocess.run([binary, "parse-bench", *args], capture_output=True, text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rapport", required=True)
    ap.add_argument("--dir", default=".cache/bench")
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--mbox-bytes", type=int, default=1 << 30)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--table-rows", default=os.environ.get("RAPPORT_BENCH_TABLE") or None,
                    help="append the summary rows (TSV) to this file (default: $RAPPORT_BENCH_TABLE)")
    args = ap.parse_args()
    d = Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    mbox, ics, nd = d / f"bench-{args.messages}.mbox", d / f"bench-{args.events}.ics", d / f"bench-{args.records}.ndjson"
    if not mbox.exists():
        print(f"generating {mbox} ...", flush=True)
        gen_mbox(mbox, args.messages, args.mbox_bytes)
    gen_ics(ics, args.events)
    if not nd.exists():
        print(f"generating {nd} ...", flush=True)
        gen_ndjson(nd, args.records)

    rows = []
    # Warm the page cache once so both sides read the mbox from memory.
    subprocess.run(["cat", str(mbox)], stdout=subprocess.DEVNULL, check=True)
    r = rapport(args.rapport, "mbox", str(mbox), "--runs", "3")
    pn, ps = timed(python_mbox, mbox)
    if pn != r["records"]:
        print(f"warning: message counts differ: rapport {r['records']}, python {pn}")
    messages = r["records"]
    rows.append(("mbox header parse", f"{mbox.stat().st_size / 1e9:.2f} GB, {r['records']} msgs", r["seconds"], ps))

    r = rapport(args.rapport, "ics", str(ics), "--from", "2025-01-01", "--to", "2026-01-01", "--runs", "3")
    pn, ps = timed(python_ics, ics)
    if pn != r["records"]:
        print(f"warning: occurrence counts differ: rapport {r['records']}, python {pn}")
    occurrences = r["records"]
    rows.append(("ics 1 year expansion", f"{args.events} events, {r['records']} occurrences", r["seconds"], ps))

    subprocess.run(["cat", str(nd)], stdout=subprocess.DEVNULL, check=True)
    r = rapport(args.rapport, "ndjson", str(nd), "--runs", "3")
    pn, ps = timed(python_ndjson, nd)
    rows.append(("ndjson parse", f"{r['records']} records", r["seconds"], ps))

    print()
    print(f"{'benchmark':<22} {'input':<34} {'rapport s':>10} {'python s':>10} {'ratio':>8}")
    for name, what, rs, ps in rows:
        print(f"{name:<22} {what:<34} {rs:>10.3f} {ps:>10.3f} {ps / rs:>7.1f}x")
    print(f"ndjson: {rows[2][1].split()[0]} records in {rows[2][2]:.3f}s = {int(args.records / rows[2][2]):,} records/s "
          f"(python json.loads alone: {int(args.records / rows[2][3]):,}/s)")
    print("goals: mbox >= 20x, ics >= 20x")
    if args.table_rows:
        (_, _, mbox_r, mbox_p), (_, _, ics_r, ics_p), (_, _, nd_r, nd_p) = rows
        table = [
            ("header-only mbox parse", f"{mbox.stat().st_size / 1e9:.2f} GB, {messages:,} messages",
             f"{mbox_r:.2f} s", f"Python `mailbox` + `BytesHeaderParser`: {mbox_p:.1f} s", f"{mbox_p / mbox_r:.1f}×", "≥ 20×"),
            ("recurrence expansion", f"{args.events:,} recurring events, one year ({occurrences:,} occurrences)",
             f"{ics_r:.2f} s", f"`recurring-ical-events`: {ics_p:.1f} s", f"{ics_p / ics_r:.1f}×", "≥ 20×"),
            ("NDJSON parse", f"{args.records:,} records", f"{int(args.records / nd_r):,} records/s",
             f"(Python `json.loads` alone: {int(args.records / nd_p):,}/s)", "—", "—"),
        ]
        with open(args.table_rows, "a", encoding="utf-8") as f:
            for row in table:
                f.write("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
