#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start DIR` (prints the SQLAlchemy URL),
# `stop DIR`. It listens only on a Unix socket inside DIR (no TCP port, nothing else on
# the machine can reach it) and runs as the unprivileged `postgres` user when we are root
# (PostgreSQL refuses to run as root).
set -euo pipefail
cmd=${1:?usage: pgcluster.sh start|stop DIR}
dir=$(mkdir -p "${2:?usage: pgcluster.sh start|stop DIR}" && cd "$2" && pwd)
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
# A Unix socket path must stay under ~107 bytes: long build folders use one under /tmp.
sock="$dir/run"
if [ ${#sock} -gt 80 ]; then sock="/tmp/iqcadence-pg-$(printf %s "$dir" | md5sum | cut -c1-12)"; fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data" && mkdir -p "$dir/data" "$sock"
    if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir" "$sock"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U iqcadence --auth=trust -E UTF8 \
      --no-locale >"$dir/initdb.log" 2>&1
  fi
  mkdir -p "$sock"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$sock"; fi
  # Test data is disposable: no fsync, no full-page writes. Already running: reuse it.
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$sock' -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
  fi
  as_owner "$bin/psql" -h "$sock" -U iqcadence -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='iqcadence'" | grep -q 1 ||
    as_owner "$bin/createdb" -h "$sock" -U iqcadence iqcadence
  echo "postgresql+psycopg://iqcadence@/iqcadence?host=$sock"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  true
  ;;
*) echo "usage: pgcluster.sh start|stop DIR" >&2; exit 2 ;;
esac
