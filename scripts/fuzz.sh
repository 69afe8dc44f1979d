#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time (FUZZ_SECONDS each, default 60) with the
# sanitizers, into the scratch path .build-fuzz. Targets are named by their short name:
#   Mail ICal Graph NDJSON CSV   -> IngestFuzz<name> (the Ingest parsers)
#   Segment LineSplitter         -> Fuzz<name> (segment expressions; line splitting and gzip)
# Seeds: Tests/IngestTests/Fixtures/seeds/<name in lower case>/ (plus the downloaded corpora when
# present) and every crasher kept so far; Fixtures/dicts/<name in lower case>.dict when present.
# A new crash is copied into Tests/IngestTests/Fixtures/crashers/<name>/ (commit it: IngestTests
# replays it) and the run fails. The corpus grows across runs in .cache/fuzz/corpus/<name>.
# FUZZ_TARGETS picks targets; the INGEST_FUZZ_* names of the former script still work.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${FUZZ_SECONDS:-${INGEST_FUZZ_SECONDS:-60}}"
SCRATCH="${FUZZ_SCRATCH:-${INGEST_FUZZ_SCRATCH:-.build-fuzz}}"
TARGETS="${FUZZ_TARGETS:-${INGEST_FUZZ_TARGETS:-Mail ICal Graph NDJSON CSV Segment LineSplitter}}"
FLAGS=(-c release -Xswiftc -sanitize=fuzzer,address
       -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DFUZZING)
# libFuzzer reports a trap itself; Swift's backtracer would race it (and trips AddressSanitizer).
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
FIX=Tests/IngestTests/Fixtures
WORK=.cache/fuzz
mkdir -p "$WORK"

product() {
  case $1 in
    Mail|ICal|Graph|NDJSON|CSV) echo "IngestFuzz$1" ;;
    Segment|LineSplitter) echo "Fuzz$1" ;;
    *) echo "fuzz: unknown target $1 (Mail ICal Graph NDJSON CSV Segment LineSplitter)" >&2; return 1 ;;
  esac
}

status=0
summary=""
for t in $TARGETS; do
  p=$(product "$t")
  lower=$(echo "$t" | tr '[:upper:]' '[:lower:]')
  if ! swift build --scratch-path "$SCRATCH" --product "$p" "${FLAGS[@]}" > "$WORK/$t.build.log" 2>&1; then
    grep -E "error:" "$WORK/$t.build.log" | head -20 || tail -20 "$WORK/$t.build.log"
    echo "fuzz: building $p failed (see $WORK/$t.build.log)" >&2
    exit 1
  fi
  corpus="$WORK/corpus/$t"; crashes="$WORK/crashes/$t/"
  # Artifacts of an earlier run were kept then; start clean so they do not fail this one.
  rm -rf "$crashes"
  mkdir -p "$corpus" "$crashes" "$FIX/crashers/$t"
  cp -n "$FIX/seeds/$lower/"* "$corpus/" 2>/dev/null || true
  cp -n "$FIX/crashers/$t/"* "$corpus/" 2>/dev/null || true
  case $t in
    Mail) cp -n .cache/corpora/cpython/usr/lib/python3.11/test/test_email/data/msg_*.txt "$corpus/" 2>/dev/null || true ;;
    ICal) cp -n .cache/corpora/icalendar/icalendar/tests/calendars/*.ics "$corpus/" 2>/dev/null || true ;;
  esac
  rm -f "$corpus/.keep"
  options=(-max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$crashes")
  case $t in
    Segment) options+=(-max_len=4096) ;;   # the parser refuses past 2000 characters at once
    *) options+=(-max_len=16384) ;;
  esac
  [ -f "$FIX/dicts/$lower.dict" ] && options+=(-dict="$FIX/dicts/$lower.dict")
  echo "fuzz: $p for ${SECONDS_EACH}s"
  result=ok
  if ! "$SCRATCH/release/$p" "${options[@]}" "$corpus" > "$WORK/$t.log" 2>&1; then
    status=1
    result=FAILED
    tail -30 "$WORK/$t.log"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log")
  grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec|Done)" "$WORK/$t.log" | sed "s/^/  /" || true
  for f in "$crashes"*; do
    [ -e "$f" ] || continue
    cp "$f" "$FIX/crashers/$t/"
    echo "fuzz: $p found $(basename "$f"); kept in $FIX/crashers/$t/"
    status=1
    result=FAILED
  done
  summary+=$(printf '%-14s %12s executions  %s' "$t" "${runs:-?}" "$result")$'\n'
done
printf '\nfuzz: %ss each\n%s' "$SECONDS_EACH" "$summary"
exit $status
