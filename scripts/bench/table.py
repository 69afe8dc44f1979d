#!/usr/bin/env python3
"""Renders the rows that the benchmarks appended (TSV) as one Markdown table, with the machine above it.

Each line of ROWS is one row: stage, size, Rapport, baseline, ratio, goal, separated by tabs
(written by `rapport-dev bench … --table-rows`, `scripts/ingest/bench.py --table-rows` and
scripts/bench/run.sh; `RAPPORT_BENCH_TABLE` names the file for all of them).

Usage: table.py ROWS [--scale full] [--seconds 2400]
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys

COLUMNS = ("stage", "size", "Rapport", "baseline", "ratio", "goal")


def cell(text: str) -> str:
    """A cell's text with the characters that would break a Markdown table row escaped."""
    return text.strip().replace("|", "\\|") or "—"


def parse(lines: list[str]) -> list[list[str]]:
    """The rows of the TSV; a line with other than six fields is an error (a writer is wrong)."""
    rows = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise ValueError(f"line {number}: {len(fields)} fields, not {len(COLUMNS)}: {line!r}")
        rows.append(fields)
    return rows


def render(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    out += ["| " + " | ".join(cell(field) for field in row) + " |" for row in rows]
    return "\n".join(out)


def read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def version(command: list[str], pattern: str) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        output = subprocess.run(command, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(pattern, output)
    return match.group(1) if match else None


def machine() -> str:
    """Cores, CPU model, RAM, OS and kernel, PostgreSQL and Swift versions, as one line."""
    cpuinfo = read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.M)
    os_name = re.search(r'^PRETTY_NAME="?([^"\n]+)', read("/etc/os-release"), re.M)
    parts = [f"{os.cpu_count()} cores ({model.group(1).strip() if model else platform.processor() or 'unknown CPU'})"]
    if mem:
        parts.append(f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB RAM")
    parts.append(f"{os_name.group(1) if os_name else platform.system()}, kernel {platform.release()}")
    pg_bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if d.isdigit()) if os.path.isdir("/usr/lib/postgresql") else []
    pg = version([f"/usr/lib/postgresql/{pg_bins[-1]}/bin/postgres", "--version"], r"(\d+(?:\.\d+)+)") if pg_bins else None
    if pg:
        parts.append(f"PostgreSQL {pg}")
    swift = version(["swift", "--version"], r"Swift version (\S+)")
    if swift:
        parts.append(f"Swift {swift} (release build)")
    return ", ".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows")
    ap.add_argument("--scale", default=None, help="the BENCH_SCALE the rows were measured at")
    ap.add_argument("--seconds", type=float, default=None, help="how long the whole run took")
    ap.add_argument("--load", default=None, help="the load average when the run started")
    args = ap.parse_args()
    try:
        rows = parse(read(args.rows).splitlines())
    except ValueError as error:
        print(f"table.py: {args.rows}: {error}", file=sys.stderr)
        return 1
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    header = f"{now}; {machine()}"
    details = []
    if args.scale:
        details.append(f"scale {args.scale}")
    if args.seconds is not None:
        details.append(f"whole run {args.seconds / 60:.1f} min")
    if args.load:
        details.append(f"load average {args.load} at the start")
    details.append("throwaway PostgreSQL clusters, fsync off; each figure beside its baseline from the same run")
    print(header + ".")
    line = "; ".join(details)
    print(line[:1].upper() + line[1:] + ".")
    print()
    print(render(rows) if rows else "(no benchmark wrote a row)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
