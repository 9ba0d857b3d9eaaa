# A private PostgreSQL 15 for the tests and the bench, from Debian's `postgresql` package:
# initdb into a temporary directory as the `postgres` user, on a free loopback port, stopped
# when the calling script exits. Nothing depends on a system service set up by hand.
# Sourced after tools.sh.

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

ensure_postgres() {
  if [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]]; then return; fi
  ensure_apt_packages postgresql
}

# Starts the server; sets PRIVATE_PG_URL (the `postgres` database, superuser, no password)
# and registers the stop on EXIT. The cluster lives under $1, kept after the stop and started
# again by the next call; by default in a new temporary directory, removed at the stop.
start_private_postgres() {
  ensure_postgres
  PRIVATE_PG_KEEP="${1:+yes}"
  PRIVATE_PG_DIR="${1:-$(mktemp -d /tmp/market-pg.XXXXXX)}"
  mkdir -p "$PRIVATE_PG_DIR"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  local as_pg=()
  # initdb refuses to run as root; the package's `postgres` user owns the cluster instead.
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres "$PRIVATE_PG_DIR"
    as_pg=(runuser -u postgres --)
  fi
  log "starting a private PostgreSQL on 127.0.0.1:$port ($PRIVATE_PG_DIR)"
  if [[ ! -f "$PRIVATE_PG_DIR/data/PG_VERSION" ]]; then
    "${as_pg[@]}" "$PG_BIN/initdb" --pgdata "$PRIVATE_PG_DIR/data" --username postgres \
      --auth trust --encoding UTF8 --locale C.UTF-8 --no-sync >"$PRIVATE_PG_DIR/initdb.log"
  fi
  # fsync off for the tests (PRIVATE_PG_FSYNC): their cluster is thrown away, and a crash of it
  # loses nothing anyone keeps. The benches keep it on, as a real server would.
  "${as_pg[@]}" "$PG_BIN/pg_ctl" --pgdata "$PRIVATE_PG_DIR/data" --log "$PRIVATE_PG_DIR/server.log" \
    --wait -o "-p $port -k $PRIVATE_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PRIVATE_PG_FSYNC:-off}" \
    start >/dev/null
  PRIVATE_PG_AS=("${as_pg[@]}")
  PRIVATE_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  # A caller with an EXIT trap of its own calls stop_private_postgres from it.
  [[ -n "$(trap -p EXIT)" ]] || trap stop_private_postgres EXIT
}

stop_private_postgres() {
  if [[ -n "${PRIVATE_PG_DIR:-}" && -d "$PRIVATE_PG_DIR/data" ]]; then
    "${PRIVATE_PG_AS[@]}" "$PG_BIN/pg_ctl" --pgdata "$PRIVATE_PG_DIR/data" --mode fast --wait stop >/dev/null || true
    [[ "${PRIVATE_PG_KEEP:-}" == yes ]] || rm -rf "$PRIVATE_PG_DIR"
  fi
}
