#!/bin/sh
# Runs every benchmark beside its baseline, each printing its own report, then prints one
# Markdown table of all of them (scripts/bench/table.py). `make bench` calls it after the
# release build.
#
# Usage: scripts/bench/run.sh [full|small]
#   full  (default) the sizes the issues name: ~40 min on the project's 2-core machine
#   small reduced sizes, a smoke check of the whole chain: a few minutes
# RAPPORT: the binary (default .build/release/rapport-dev). RAPPORT_BENCH_TABLE: where the rows
# are collected (default .build/bench-table.tsv; emptied first). A benchmark that fails gets a
# FAILED row, the others still run, and the script exits non-zero at the end.
set -u

scale=${1:-full}
rapport=${RAPPORT:-.build/release/rapport-dev}
rows=${RAPPORT_BENCH_TABLE:-.build/bench-table.tsv}

case $scale in
  full)
    postgres=""
    ingest=""
    region=""                # 5,000,000 emails, 500,000 meetings, 100,000 accounts (docs/benchmarks.md)
    graph=""                 # 2,500 mailboxes × 400 messages + 100 meetings, then 5 % 429s
    api=""                   # 100,000 accounts, 1,000,000 email signals, 15 s per endpoint
    dataverse=""             # 100,000 accounts' Year + Month rows; 10,000 under the limits (scaled 1/20)
    ;;
  small)
    postgres="--rows 100000 --queries 4000 --repeats 1"
    ingest="--messages 5000 --mbox-bytes 50000000 --events 100 --records 50000"
    region="--emails 100000 --meetings 10000 --accounts 5000 --contacts 12500 --mailboxes 100"
    graph="--mailboxes 50 --messages 100 --meetings 20 --accounts 100"
    api="--accounts 5000 --emails 50000 --seconds 3"
    dataverse="--accounts 5000 --limited-accounts 1000 --scale 100"
    ;;
  *)
    echo "usage: $0 [full|small]" >&2
    exit 2
    ;;
esac

[ -x "$rapport" ] || { echo "$rapport is missing: swift build -c release --product rapport-dev" >&2; exit 1; }
mkdir -p "$(dirname "$rows")"
: >"$rows"
export RAPPORT_BENCH_TABLE="$rows"
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
started=$(date +%s)
failed=0

# step NAME COMMAND...: runs one benchmark; on failure adds a FAILED row and carries on.
step() {
  name=$1
  shift
  echo
  echo "=== $name ($scale): $*"
  t0=$(date +%s)
  "$@"
  status=$?
  if [ $status -ne 0 ]; then
    failed=$((failed + 1))
    printf '%s\t—\tFAILED (exit %s)\t—\t—\t—\n' "$name" "$status" >>"$rows"
  fi
  echo "=== $name: $(($(date +%s) - t0)) s, exit $status"
}

# shellcheck disable=SC2086 # the size options are words on purpose
{
  step "rapport-dev bench postgres" "$rapport" bench postgres $postgres
  step "ingest parsers (scripts/ingest/bench.py)" python3 -u scripts/ingest/bench.py --rapport "$rapport" $ingest
  step "rapport-dev bench import" "$rapport" bench import $region
  step "rapport-dev bench aggregate" "$rapport" bench aggregate $region
  step "rapport-dev bench graph" "$rapport" bench graph $graph
  step "rapport-dev bench api" "$rapport" bench api $api
  step "rapport-dev bench dataverse" "$rapport" bench dataverse $dataverse
}

echo
python3 scripts/bench/table.py "$rows" --scale "$scale" --seconds "$(($(date +%s) - started))" --load "$load"
if [ $failed -ne 0 ]; then
  echo "$failed benchmark(s) failed" >&2
  exit 1
fi
