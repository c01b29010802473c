#!/usr/bin/env bash
# Private PostgreSQL cluster for development, tests and CI.
#   infra/postgres.sh start   install the server if missing, initdb once, start (idempotent), print the connection string
#   infra/postgres.sh stop    stop the cluster (idempotent)
#   infra/postgres.sh status  exit 0 when running
#   infra/postgres.sh url     print the connection string
# Settings (environment): OVERSIGHT_PG_PORT (default 55432), OVERSIGHT_PG_DIR (default <repo>/.pgdata).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${OVERSIGHT_PG_PORT:-55432}
dir=${OVERSIGHT_PG_DIR:-$repo/.pgdata}
data=$dir/data
log=$dir/server.log
user=oversight
password=oversight
runas=()

find_bin() {
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

ensure_installed() {
  if ! bin=$(find_bin); then
    echo "PostgreSQL server binaries not found; installing Debian's postgresql package" >&2
    if [ "$(id -u)" -ne 0 ]; then echo "run as root to install postgresql (apt-get)" >&2; exit 1; fi
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # Debian's package starts its own cluster on 5432; this project does not use it.
    if command -v pg_ctlcluster >/dev/null; then
      service postgresql stop >/dev/null 2>&1 || true
    fi
    bin=$(find_bin)
  fi
}

# The server refuses to run as root: use the unprivileged 'postgres' account (created by the package) or 'nobody'.
prepare_user() {
  if [ "$(id -u)" -eq 0 ]; then
    local account=postgres
    id "$account" >/dev/null 2>&1 || account=nobody
    mkdir -p "$dir"
    # Once: a recursive chown while the server runs races with files it deletes (temporary relations).
    if [ "$(stat -c %U "$dir")" != "$account" ]; then chown -R "$account" "$dir"; fi
    chmod 700 "$dir"
    runas=(runuser -u "$account" --)
  fi
}

connection_string() {
  echo "Host=127.0.0.1;Port=$port;Username=$user;Password=$password;Database=oversight"
}

is_running() {
  [ -f "$data/postmaster.pid" ] && "${runas[@]}" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
  ensure_installed
  mkdir -p "$dir"
  prepare_user
  if [ ! -f "$data/PG_VERSION" ]; then
    local pwfile
    pwfile=$(mktemp "$dir/pw.XXXXXX")
    echo "$password" >"$pwfile"
    [ "${#runas[@]}" -gt 0 ] && chown "${runas[2]}" "$pwfile"
    "${runas[@]}" "$bin/initdb" -D "$data" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -f "$pwfile"; exit 1; }
    rm -f "$pwfile"
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 200
shared_buffers = 512MB
# Imports write a lot of WAL: avoid forced checkpoints in the middle of one.
max_wal_size = 8GB
checkpoint_timeout = 15min
timezone = 'UTC'
log_timezone = 'UTC'
CONF
  fi
  if is_running; then
    echo "PostgreSQL already running on 127.0.0.1:$port" >&2
  else
    "${runas[@]}" "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null || { tail -n 30 "$log" >&2; exit 1; }
    echo "PostgreSQL started on 127.0.0.1:$port (data: $data)" >&2
  fi
  PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'oversight'" | grep -q 1 ||
    PGPASSWORD=$password psql -h 127.0.0.1 -p "$port" -U "$user" -d postgres -qc "CREATE DATABASE oversight" >/dev/null
  connection_string
}

stop() {
  bin=$(find_bin) || exit 0
  prepare_user
  if is_running; then "${runas[@]}" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; echo "PostgreSQL stopped" >&2; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) bin=$(find_bin) || exit 1; prepare_user; is_running ;;
  url) connection_string ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
