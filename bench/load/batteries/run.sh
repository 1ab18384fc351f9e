#!/usr/bin/env bash
# Batteries load runs on a durable PostgreSQL 15 (fsync on), on this machine's loopback:
#   1. bulk import of N passports (default 100,000) with `socle battery passport import` (each one validated, signed, journaled);
#   2. resolver reads with access filtering (GET /batteries/p/{id}, JSON) under a bounded closed-loop load.
# Usage: [WARMUP=seconds, default 8] bench/load/batteries/run.sh [count=100000] [seconds=30] [concurrency=32]
# Results: bench/results/<date>/batteries-import.json, batteries-resolver-c<concurrency>.json and a summary batteries-load.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
COUNT=${1:-100000}
SECONDS_RUN=${2:-30}
CONCURRENCY=${3:-32}
WORK=$(mktemp -d /tmp/socle-batteries-load.XXXXXX)
PGDIR=$(mktemp -d /tmp/socle-batteries-pg.XXXXXX)   # its own folder: postgres.sh hands it to the cluster's user
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)"
mkdir -p "$OUT"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  "$ROOT/scripts/postgres.sh" stop "$PGDIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "== build (Release)"
dotnet build "$ROOT/src/Cli" -c Release -nologo -v quiet -clp:NoSummary >/dev/null
dotnet build "$ROOT/bench/load/batteries/LoadClient" -c Release -nologo -v quiet -clp:NoSummary >/dev/null
SOCLE="dotnet $ROOT/src/Cli/bin/Release/net10.0/socle.dll"
LOAD="dotnet $ROOT/bench/load/batteries/LoadClient/bin/Release/net10.0/Socle.Batteries.LoadClient.dll"

echo "== PostgreSQL 15 (durable)"
"$ROOT/scripts/postgres.sh" start "$PGDIR" durable >/dev/null
PORT=$(cat "$PGDIR/port")
psql "host=127.0.0.1 port=$PORT user=socle dbname=postgres" -qc "CREATE DATABASE batteries" >/dev/null
DB="Host=127.0.0.1;Port=$PORT;Username=socle;Database=batteries;Maximum Pool Size=100"
export Socle__DataProtection__KeysDirectory="$WORK/keys" Socle__Demo__Seed=false

echo "== parties"
OPERATOR=$($SOCLE battery party add --role operator --name "Gigafactory (load run)" --bpnl BPNL00000003CRHK --db "$DB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
KEYS="$WORK/keys.txt"
for spec in "legitimate-interest --interest repairer" "market-surveillance" "commission"; do
  # shellcheck disable=SC2086
  $SOCLE battery party add --role $spec --name "reader" --db "$DB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessKey"])' >> "$KEYS"
done

echo "== bulk import of $COUNT passports"
$LOAD generate --count "$COUNT" --out "$WORK/passports.jsonl"
ls -l "$WORK/passports.jsonl" | awk '{printf "input: %.1f MB\n", $5/1e6}'
START=$(date +%s.%N)
$SOCLE battery passport import --file "$WORK/passports.jsonl" --as-party "$OPERATOR" --db "$DB" --json > "$OUT/batteries-import.json"
END=$(date +%s.%N)
python3 - "$OUT/batteries-import.json" "$START" "$END" "$COUNT" <<'PY'
import json, sys
path, start, end, count = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
d = json.load(open(path))
d["wallClockSeconds"] = round(end - start, 2)
d["passportsPerSecond"] = round(d["imported"] / d["seconds"], 1)
d["count"] = count
json.dump(d, open(path, "w"), indent=2)
print(f"imported {d['imported']} refused {d['rejected']} in {d['seconds']:.1f} s ({d['passportsPerSecond']}/s), {d['wallClockSeconds']} s with process start")
PY
psql "host=127.0.0.1 port=$PORT user=socle dbname=batteries" -Atc "SELECT count(*) FROM battery_passports; SELECT count(*) FROM journal_events; SELECT pg_size_pretty(pg_database_size('batteries'))"
psql "host=127.0.0.1 port=$PORT user=socle dbname=batteries" -Atc "SELECT id FROM battery_passports ORDER BY random() LIMIT 20000" > "$WORK/ids.txt"

echo "== resolver under load"
dotnet "$ROOT/src/Host/bin/Release/net10.0/Socle.Host.dll" --urls http://127.0.0.1:5181 --Socle:Storage:ConnectionString "$DB" \
  --Socle:Demo:Seed false --Socle:DataProtection:KeysDirectory "$WORK/keys" --Logging:LogLevel:Default Warning --Logging:LogLevel:Microsoft.AspNetCore Warning \
  > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5181/health >/dev/null && break; sleep 0.5; done
$LOAD resolve --base http://127.0.0.1:5181 --ids "$WORK/ids.txt" --keys "$KEYS" --concurrency "$CONCURRENCY" --seconds "$SECONDS_RUN" --warmup "${WARMUP:-8}" \
  --out "$OUT/batteries-resolver-c$CONCURRENCY.json"
SERVER_CPU=$(ps -o cputime= -p "$SERVER_PID" | awk -F: '{print $1*3600+$2*60+$3}')
echo "server CPU time (whole run, incl. warm-up): ${SERVER_CPU}s"
