#!/usr/bin/env python3
"""Regenerates Sources/Ingest/WindowsZones.swift from the CLDR windowsZones
mapping as shipped (generated from CLDR) in the PyPI package `icalendar`."""
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON, version, version_date

lines = [
    "/// Windows time zone names (as Outlook and Exchange write them in TZID) mapped to IANA names.",
    "///",
    "/// The \"001\" (territory-neutral) mapping of Unicode CLDR's",
    f"/// `common/supplemental/windowsZones.xml` at commit {version} ({version_date}).",
    "/// CLDR data: Copyright © 1991-2025 Unicode, Inc., Unicode License v3 (see",
    "/// `docs/ingest.md`). Regenerate with `scripts/ingest/gen-windows-zones.py`.",
    "public enum WindowsZones {",
    "    public static let ianaByWindowsName: [String: String] = [",
]
lines += [f'        "{k}": "{WINDOWS_TO_OLSON[k]}",' for k in sorted(WINDOWS_TO_OLSON)]
lines += ["    ]", "}"]
print("\n".join(lines))
