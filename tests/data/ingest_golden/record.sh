#!/usr/bin/env bash
# Records what a dbdeck-cli build writes for input.jsonl, into the *.expected files beside this
# script: the committed ones come from the serial ingest before the pipeline (commit ba1395f):
#   bash tests/data/ingest_golden/record.sh /path/to/that/build/src/cli/dbdeck-cli
# tst_CliIngest::sameOutputAsBefore runs the current build the same way and compares.
# Each scenario: exit code, standard output, standard error, then every row of runs and events
# (ORDER BY id, each column as SQLite's quote() writes it).
set -euo pipefail
cli="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dump() {
  sqlite3 "$1" "SELECT quote(id)||','||quote(kind)||','||quote(status)||','||quote(params_json)||','||quote(error)||','||quote(started_at)||','||quote(finished_at)||','||quote(created_at)||','||quote(updated_at) FROM runs ORDER BY id;"
  sqlite3 "$1" "SELECT quote(id)||','||quote(run_id)||','||quote(seq)||','||quote(level)||','||quote(kind)||','||quote(message)||','||quote(message_original_length)||','||quote(payload_json)||','||quote(payload_uri)||','||quote(created_at) FROM events ORDER BY id;"
}
scenario() { # name, then the ingest options
  local name="$1"; shift
  local db="$work/$name.db"
  "$cli" --db-url "sqlite:///$db" --migrations "$root/migrations" upgrade > /dev/null
  {
    set +e
    "$cli" --db-url "sqlite:///$db" ingest "$here/input.jsonl" "$@" > "$work/out" 2> "$work/err"
    echo "exit $?"
    set -e
    echo "--- stdout"; cat "$work/out"
    echo "--- stderr"; cat "$work/err"
    echo "--- rows"; dump "$db"
    # Loading the same file again adds nothing twice.
    set +e
    "$cli" --db-url "sqlite:///$db" ingest "$here/input.jsonl" "$@" > "$work/out" 2> "$work/err"
    echo "--- again: exit $?"
    set -e
    cat "$work/out"
    echo "--- rows"; dump "$db"
  } > "$here/$name.expected"
}
scenario stop-batch-7 --batch-size 7
scenario skip-batch-7 --on-error=skip --batch-size 7
scenario skip-batch-1000 --on-error=skip
scenario skip-batch-1 --on-error=skip --batch-size 1
