# Sourced by scripts/test.sh: a throwaway PostgreSQL server for the test suites.
#   dbdeck_pg_start   initdb into a temporary folder, start on 127.0.0.1 on a free port, and
#                     export DBDECK_TEST_PG_URL; returns non-zero if it cannot.
#   dbdeck_pg_stop    stop it and remove the folder.
DBDECK_PG_BIN="${DBDECK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

dbdeck_pg_as_owner() {
  # initdb and postgres refuse to run as root: run them as the postgres user then.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

dbdeck_pg_start() {
  [[ -x "$DBDECK_PG_BIN/initdb" ]] || { echo "PostgreSQL server binaries not found (package postgresql)" >&2; return 1; }
  DBDECK_PG_DIR=$(mktemp -d /tmp/dbdeck-pg.XXXXXX)
  chmod 755 "$DBDECK_PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$DBDECK_PG_DIR"
  dbdeck_pg_as_owner "$DBDECK_PG_BIN/initdb" -D "$DBDECK_PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync >"$DBDECK_PG_DIR/initdb.log" 2>&1 \
    || { cat "$DBDECK_PG_DIR/initdb.log" >&2; return 1; }
  # The first free port from 55432. Another test run may take the same port between the probe and
  # the start, so a start that fails is retried on the next free port (a few times).
  local port attempts=0
  DBDECK_PG_PORT=""
  for port in $(seq 55432 55532); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue # taken
    # fsync off: a test server's data need not survive a crash, and it is much faster.
    if dbdeck_pg_as_owner "$DBDECK_PG_BIN/pg_ctl" -D "$DBDECK_PG_DIR/data" -l "$DBDECK_PG_DIR/server.log" -w -t 30 \
      -o "-p $port -k $DBDECK_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null; then
      DBDECK_PG_PORT=$port
      break
    fi
    attempts=$((attempts + 1))
    if [[ $attempts -ge 5 ]]; then cat "$DBDECK_PG_DIR/server.log" >&2; return 1; fi
  done
  [[ -n "$DBDECK_PG_PORT" ]] || { echo "no free port for the PostgreSQL test server in 55432-55532" >&2; return 1; }
  export DBDECK_TEST_PG_URL="postgresql://postgres@127.0.0.1:$DBDECK_PG_PORT/postgres"
  export DBDECK_PG_BIN
  echo "PostgreSQL test server on 127.0.0.1:$DBDECK_PG_PORT ($DBDECK_PG_DIR)"
}

dbdeck_pg_stop() {
  [[ -n "${DBDECK_PG_DIR:-}" && -d "$DBDECK_PG_DIR/data" ]] || return 0
  dbdeck_pg_as_owner "$DBDECK_PG_BIN/pg_ctl" -D "$DBDECK_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$DBDECK_PG_DIR"
}
