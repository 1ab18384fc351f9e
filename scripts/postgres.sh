#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks.
#   scripts/postgres.sh start <dir> [fast|durable]  → prints the admin connection string; the cluster lives in <dir>
#   scripts/postgres.sh stop <dir>
# The server runs as an unprivileged user (socle-pg when started as root), listens on 127.0.0.1 on a free port,
# and trusts local connections. "fast" (tests) turns fsync off; "durable" (benchmarks) keeps PostgreSQL's defaults.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

ensure_binaries() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL 15 server binaries missing; installing postgresql-15" >&2
    if [ "$(id -u)" -eq 0 ]; then
      (apt-get install -y -q postgresql-15 >/dev/null 2>&1) || (apt-get update -q >/dev/null && apt-get install -y -q postgresql-15 >/dev/null)
    else
      echo "error: run as root once, or install postgresql-15" >&2; exit 1
    fi
  fi
}

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "error: no free port in 55432-55532" >&2; return 1
}

as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u socle-pg -- "$@"
  else
    "$@"
  fi
}

start() {
  local dir=$1 mode=${2:-fast}
  ensure_binaries
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id socle-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin socle-pg
    chown socle-pg "$dir"
    chmod 700 "$dir"
  fi
  local port; port=$(free_port)
  as_pg_user "$PG_BIN/initdb" -D "$dir/data" -U socle -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  local opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB"
  if [ "$mode" = fast ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  opts="$opts ${PG_SERVER_OPTIONS:-}" # e.g. "-c shared_preload_libraries=pg_stat_statements" for a diagnostic run
  as_pg_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  echo "Host=127.0.0.1;Port=$port;Username=socle;Database=postgres;Pooling=true;Maximum Pool Size=100"
}

stop() {
  local dir=$1
  if [ -d "$dir/data" ]; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "$2" "${3:-fast}" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start <dir> [fast|durable] | stop <dir>" >&2; exit 2 ;;
esac
