#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, starts a throwaway PostgreSQL server,
# and runs every test suite with ctest (SQLite and PostgreSQL). Extra arguments go to ctest.
# Without a usable PostgreSQL the SQLite suites still run and you are told which did not; in CI
# (CI set) a server that cannot start fails the run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/pg-server.sh"
dbdeck_install_missing
dbdeck_build ON
if ! dbdeck_pg_start; then
  if [[ -n "${CI:-}" ]]; then
    echo "CI: the PostgreSQL test server did not start; failing the run." >&2
    exit 1
  fi
  echo "WARNING: no PostgreSQL test server: the PostgreSQL suites will be skipped (they did not run)." >&2
fi
trap dbdeck_pg_stop EXIT
cd "$DBDECK_BUILD"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --timeout 300 -j "$(nproc)" "$@"
