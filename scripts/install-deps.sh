#!/bin/sh
# Installs the Debian packages Rapport needs to build, test and run, when missing.
# Idempotent and quiet when everything is already there.
set -eu

missing=""
need() { missing="$missing $1"; }

command -v pkg-config >/dev/null 2>&1 || need pkg-config
pkg-config --exists libpq 2>/dev/null || need libpq-dev
[ -f /usr/include/zlib.h ] || need zlib1g-dev
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need postgresql
ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || need postgresql-contrib
command -v psql >/dev/null 2>&1 || need postgresql-client
command -v python3 >/dev/null 2>&1 || need python3
[ -x /usr/sbin/runuser ] || need util-linux
for extra in ${RAPPORT_EXTRA_PACKAGES:-}; do
  dpkg -s "$extra" >/dev/null 2>&1 || need "$extra"
done

if [ -n "$missing" ]; then
  echo "installing:$missing"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not on PATH; install Swift 6.1 or later (https://swift.org/install)" >&2
  exit 1
fi
