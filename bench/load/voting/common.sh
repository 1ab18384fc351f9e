# Shared by bench/load/voting/load.sh and cast.sh (sourced from the repository root):
# a durable PostgreSQL and a work directory, both removed on exit with the server; the socle CLI built in Release.
# Sets ROOT, PG, WORK, SOCLE and, after start_pg, DB; start_server <serve options…> runs `socle serve` on a free
# loopback port and waits for /health (sets URL and SERVER_PID, the server's own process).
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PG=$(mktemp -d /tmp/socle-voting-pg.XXXXXX)
WORK=$(mktemp -d /tmp/socle-voting-work.XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  "$ROOT/scripts/postgres.sh" stop "$PG" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

dotnet build src/Cli -c Release -nologo -v quiet -clp:NoSummary >/dev/null
SOCLE="dotnet $ROOT/src/Cli/bin/Release/net10.0/socle.dll"

# start_pg [connection-string additions]
start_pg() {
  DB="$("$ROOT/scripts/postgres.sh" start "$PG" durable)${1:+;$1}"
  echo "PostgreSQL (durable) on 127.0.0.1:$(cat "$PG/port")" >&2
}

start_server() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  URL=http://127.0.0.1:$port
  (cd "$WORK" && exec env ${SERVER_ENV:-} $SOCLE serve --urls "$URL" --db "$DB" --Socle:DataProtection:KeysDirectory "$WORK/keys" "$@" >"$WORK/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 120); do curl -sf "$URL/health" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "$URL/health" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
}
