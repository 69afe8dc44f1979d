# The two commands of the README: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/rapport

.PHONY: deps build demo test bench

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product rapport

## The program's main job: local database up, migrated, status printed.
demo: build
	$(BIN) db start
	$(BIN) migrate
	$(BIN) status

## Every test, against real PostgreSQL clusters the suite starts and stops itself, then
## `rapport parse` against Python's email, icalendar and recurring-ical-events on public corpora.
test: deps ingest-test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory ingest-differential

## Benchmarks, each beside its baseline, on a release build.
bench: deps ingest-test-deps
	$(SWIFT) build -c release --product rapport
	.build/release/rapport bench postgres
	$(MAKE) --no-print-directory ingest-bench

include scripts/ingest/Makefile.inc
