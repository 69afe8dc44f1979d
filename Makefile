# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/rapport

.PHONY: deps build demo test bench bench-deps browser-test-deps

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product rapport

## The product end to end: the local cluster up and migrated, a generated organization enriched in all
## three regions through the Graph connector and a fake Graph, a summary, then the pages served (Ctrl-C stops).
demo: build
	$(BIN) demo

## Every test, against real PostgreSQL clusters the suite starts and stops itself, then
## `rapport parse` against Python's email, icalendar and recurring-ical-events on public corpora.
test: deps ingest-test-deps browser-test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory ingest-differential
	python3 scripts/browser/browser_test.py

## Debian's chromium and Playwright (driving it; no browser download) for the browser test.
browser-test-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@python3 -c "import playwright.sync_api" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore playwright==1.65.2

## Every benchmark, each beside its baseline in the same run, on a release build; ends with one
## Markdown table of all of them. BENCH_SCALE=small runs reduced sizes in a few minutes.
BENCH_SCALE ?= full
bench: deps ingest-test-deps bench-deps
	$(SWIFT) build -c release --product rapport
	scripts/bench/run.sh $(BENCH_SCALE)

## Debian's wrk, the load generator of `rapport bench api`.
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; }

include scripts/ingest/Makefile.inc
