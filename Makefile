# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/rapport
DEV_BIN := .build/debug/rapport-dev

.PHONY: deps build demo test bench bench-deps browser-test-deps fuzz

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product rapport

## The product end to end: the local cluster up and migrated, a generated organization enriched in all
## three regions through the Graph connector and a fake Graph, a summary, then the pages served (Ctrl-C stops).
demo: build
	$(SWIFT) build --product rapport-dev
	$(DEV_BIN) demo

## Every test, against real PostgreSQL clusters the suite starts and stops itself, then
## `rapport parse` against Python's email, icalendar and recurring-ical-events on public corpora,
## the browser test, and the API fuzzing run (schemathesis, every role of two tenants, API_FUZZ_SECONDS).
test: deps ingest-test-deps browser-test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory ingest-differential
	python3 scripts/browser/browser_test.py
	$(MAKE) --no-print-directory api-fuzz

## Debian's chromium and Playwright (driving it; no browser download) for the browser test.
browser-test-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@python3 -c "import playwright.sync_api" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore playwright==1.65.2

## Every benchmark, each beside its baseline in the same run, on a release build; ends with one
## Markdown table of all of them. BENCH_SCALE=small runs reduced sizes in a few minutes.
BENCH_SCALE ?= full
bench: deps ingest-test-deps bench-deps
	$(SWIFT) build -c release --product rapport-dev
	scripts/bench/run.sh $(BENCH_SCALE)

## Debian's wrk, the load generator of `rapport bench api`.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

## Every libFuzzer target (the five Ingest parsers, segment expressions, line splitting and gzip) for
## FUZZ_SECONDS each (default 60) with the sanitizers, in .build-fuzz; a crash is kept in
## Tests/IngestTests/Fixtures/crashers/<target>/ and fails the run. FUZZ_TARGETS="Segment CSV" picks some.
FUZZ_SECONDS ?= $(or $(INGEST_FUZZ_SECONDS),60)
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

## API fuzzing (issue 14): schemathesis against `rapport serve` on a private cluster with two seeded
## tenants and a key of every role; no 5xx, the error shape, the process alive after every request, no
## cross-tenant 2xx. API_FUZZ_SECONDS bounds the whole run (setup included); API_FUZZ_SEED replays one.
API_FUZZ_SECONDS ?= 240
API_FUZZ_SEED ?=
.PHONY: api-fuzz
api-fuzz: build
	@python3 -c "import sys; from importlib.metadata import version as v; sys.exit(0 if v('schemathesis') == '4.32.5' else 1)" 2>/dev/null \
	  || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore schemathesis==4.32.5
	python3 scripts/apifuzz/api_fuzz.py --rapport $(BIN) --seconds $(API_FUZZ_SECONDS) $(if $(API_FUZZ_SEED),--seed $(API_FUZZ_SEED))

include scripts/ingest/Makefile.inc
