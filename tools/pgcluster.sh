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
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data" && mkdir -p "$dir/data" "$dir/run"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U iqcadence --auth=trust -E UTF8 \
      --no-locale >"$dir/initdb.log" 2>&1
  fi
  # Test data is disposable: no fsync, no full-page writes; a small desktop-sized server.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  as_owner "$bin/psql" -h "$dir/run" -U iqcadence -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='iqcadence'" | grep -q 1 ||
    as_owner "$bin/createdb" -h "$dir/run" -U iqcadence iqcadence
  echo "postgresql+psycopg://iqcadence@/iqcadence?host=$dir/run"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  true
  ;;
*) echo "usage: pgcluster.sh start|stop DIR" >&2; exit 2 ;;
esac
