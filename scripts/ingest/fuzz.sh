#!/usr/bin/env bash
# Runs each Ingest fuzz target for a bounded time (INGEST_FUZZ_SECONDS each, default 60).
# Seeds: Tests/IngestTests/Fixtures/seeds/* (plus the downloaded corpora when present) and
# every crasher kept so far. A new crash is copied into Tests/IngestTests/Fixtures/crashers/<target>/
# (commit it: IngestTests replays it) and the run fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH="${INGEST_FUZZ_SECONDS:-60}"
SCRATCH="${INGEST_FUZZ_SCRATCH:-.build-fuzz}"
TARGETS="${INGEST_FUZZ_TARGETS:-Mail ICal Graph NDJSON CSV}"
FLAGS=(-c release -Xswiftc -sanitize=fuzzer,address
       -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp -Xswiftc -DFUZZING)
FIX=Tests/IngestTests/Fixtures
WORK=.cache/fuzz
status=0
for t in $TARGETS; do
  swift build --scratch-path "$SCRATCH" --product "IngestFuzz$t" "${FLAGS[@]}" 2>&1 | grep -E "error:" && exit 1
  seeds=$(echo "$t" | tr '[:upper:]' '[:lower:]')
  corpus="$WORK/corpus/$t"; crashes="$WORK/crashes/$t/"
  mkdir -p "$corpus" "$crashes"
  cp -n "$FIX/seeds/$seeds/"* "$corpus/" 2>/dev/null || true
  cp -n "$FIX/crashers/$t/"* "$corpus/" 2>/dev/null || true
  case $t in
    Mail) cp -n .cache/corpora/cpython/usr/lib/python3.11/test/test_email/data/msg_*.txt "$corpus/" 2>/dev/null || true ;;
    ICal) cp -n .cache/corpora/icalendar/icalendar/tests/calendars/*.ics "$corpus/" 2>/dev/null || true ;;
  esac
  rm -f "$corpus/.keep"
  echo "ingest-fuzz: IngestFuzz$t for ${SECONDS_EACH}s"
  if ! "$SCRATCH/release/IngestFuzz$t" -max_total_time="$SECONDS_EACH" -max_len=16384 -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$crashes" "$corpus" > "$WORK/$t.log" 2>&1; then
    status=1
    tail -30 "$WORK/$t.log"
  fi
  grep -E "^(stat::number_of_executed_units|Done)" "$WORK/$t.log" | sed "s/^/  /" || true
  for f in "$crashes"*; do
    [ -e "$f" ] || continue
    cp "$f" "$FIX/crashers/$t/"
    echo "ingest-fuzz: IngestFuzz$t found $(basename "$f"); kept in $FIX/crashers/$t/"
    status=1
  done
done
exit $status
