#!/usr/bin/env bash
# Loyalty load run: purchases through the earning rules and the ledger, over HTTP, on a durable PostgreSQL 15
# (fsync and synchronous_commit on: every answered purchase is on disk), all on loopback, bounded in time.
#   bench/load/loyalty/run.sh        open loop: 3,000 purchases/s offered (10 per request) for 60 s after 30 s of warm-up
#   RATE= WORKERS=16 bench/load/loyalty/run.sh                 closed loop: 16 workers, each sends when answered
#   PER_REQUEST=1 RATE=400 bench/load/loyalty/run.sh           one purchase per request
# The open loop measures latency at a given throughput from each request's scheduled time, so a stall is charged to
# every request it delays. The warm-up lets the server's JIT reach its optimised code (about 25 s on 2 busy cores).
# Diagnostics: STATEMENTS=1 PG_SERVER_OPTIONS="-c shared_preload_libraries=pg_stat_statements" prints the costliest
# statements; the PostgreSQL log is left in $TMPDIR/loyalty-postgres.log.
# Writes bench/results/<date>/loyalty-load-x$PER_REQUEST.md and .json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
SECONDS_RUN=${SECONDS_RUN:-60}
WARMUP=${WARMUP:-30}
WORKERS=${WORKERS:-64}
PER_REQUEST=${PER_REQUEST:-10}
RATE=${RATE-3000}
# idle thread-pool threads should not spin on 2 cores shared by the server, PostgreSQL and the load client
SPIN=${SPIN-DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0}
# The kernel's background writeback starts at 16 MiB of dirty pages instead of 10 % of memory (2.4 GiB here).
# PostgreSQL extends its growing tables with pages the kernel holds dirty for 30 s, then writes in one burst (about
# 170 MB after 30 s at 3,000 purchases/s) that held the WAL flushes back for 200-400 ms. This is the usual setting of a
# database machine (docs/loyalty/README.md); the run sets it when it can and puts the old value back.
DIRTY_BACKGROUND_BYTES=${DIRTY_BACKGROUND_BYTES-16777216}
MEMBERS=${MEMBERS:-2000}
PORT=${PORT:-5091}
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)"
mkdir -p "$OUT"

PGDIR=$(mktemp -d /tmp/socle-loyalty-load.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SERVER=""
DIRTY_RATIO_BEFORE=""
WRITEBACK="kernel writeback left as it was (vm.dirty_background_bytes $(cat /proc/sys/vm/dirty_background_bytes), vm.dirty_background_ratio $(cat /proc/sys/vm/dirty_background_ratio))"
if [ -n "$DIRTY_BACKGROUND_BYTES" ] && [ "$(cat /proc/sys/vm/dirty_background_bytes)" = 0 ] && [ -w /proc/sys/vm/dirty_background_bytes ]; then
  DIRTY_RATIO_BEFORE=$(cat /proc/sys/vm/dirty_background_ratio)
  echo "$DIRTY_BACKGROUND_BYTES" >/proc/sys/vm/dirty_background_bytes
  WRITEBACK="vm.dirty_background_bytes set to $DIRTY_BACKGROUND_BYTES for the run"
fi
cleanup() {
  if [ -n "$DIRTY_RATIO_BEFORE" ]; then echo "$DIRTY_RATIO_BEFORE" >/proc/sys/vm/dirty_background_ratio || true; fi
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  cp "$PGDIR/server.log" "${TMPDIR:-/tmp}/loyalty-postgres.log" 2>/dev/null || true # kept for a look after the run
  scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

dotnet build -c Release src/Host/Host.csproj -nologo -v q -clp:NoSummary >/dev/null
dotnet build -c Release bench/load/loyalty/LoyaltyLoad.csproj -nologo -v q -clp:NoSummary >/dev/null
# Npgsql prepares the statements the ledger repeats (a connection-string setting of the deployment)
CONN="$(scripts/postgres.sh start "$PGDIR" durable);Max Auto Prepare=64;Auto Prepare Min Usages=2;No Reset On Close=true"
PGPORT=$(cat "$PGDIR/port")
echo "PostgreSQL (durable) on 127.0.0.1:$PGPORT" >&2

# SPIN="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_gcServer=0" stops idle threads spinning on a 2-core box.
env ${SPIN:-} \
dotnet src/Host/bin/Release/net10.0/Socle.Host.dll --urls "http://127.0.0.1:$PORT" --modules loyalty \
  --Socle:Storage:ConnectionString "$CONN" --Socle:Demo:Seed false --Socle:Loyalty:Background false \
  --Socle:Loyalty:MaxBatch "${MAX_BATCH:-256}" --Socle:Loyalty:WriterLoops "${WRITER_LOOPS:-2}" --Socle:DataProtection:KeysDirectory "$PGDIR/keys" --Logging:LogLevel:Default Warning >"$PGDIR/server.out" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then break; fi
  sleep 1
done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_cpu() { local t=0; for p in $(pgrep -u socle-pg postgres 2>/dev/null || pgrep postgres); do t=$((t + $(cpu "$p"))); done; echo "$t"; }
SERVER_CPU0=$(cpu "$SERVER"); PG_CPU0=$(pg_cpu)
env ${SPIN:-} \
dotnet bench/load/loyalty/bin/Release/net10.0/Socle.LoyaltyLoad.dll --url "http://127.0.0.1:$PORT" \
  --seconds "$SECONDS_RUN" --workers "$WORKERS" --members "$MEMBERS" --per-request "$PER_REQUEST" --warmup "$WARMUP" ${RATE:+--rate "$RATE"} 2> >(tee "$PGDIR/client.err" >&2) | tee "$OUT/loyalty-load-x$PER_REQUEST.json"

TICKS=$(getconf CLK_TCK)
CPU_SPLIT="server $(( ($(cpu "$SERVER") - SERVER_CPU0) / TICKS )) s, PostgreSQL $(( ($(pg_cpu) - PG_CPU0) / TICKS )) s of CPU during the run"
echo "cpu: $CPU_SPLIT" >&2
echo "writeback: $WRITEBACK" >&2
CPU_MODEL=$(lscpu | sed -n 's/^Model name: *//p')
if [ -n "$RATE" ]; then
  MODE_TEXT="Open loop: $RATE purchases/s offered whatever the answers, at most $WORKERS requests outstanding; each latency counts from the request's scheduled time."
else
  MODE_TEXT="Closed loop: $WORKERS workers, each sending its next request when answered."
fi

# every accepted purchase is in the ledger exactly once, in each member's order
psql "host=127.0.0.1 port=$PGPORT user=socle dbname=postgres" -At -F ' ' -c "
  SELECT (SELECT COUNT(*) FROM loyalty_purchases),
         (SELECT COUNT(DISTINCT (merchant_id, idempotency_key)) FROM loyalty_purchases),
         (SELECT COUNT(*) FROM loyalty_ledger WHERE kind = 'earn'),
         (SELECT COUNT(*) FROM loyalty_purchases WHERE units > 0),
         (SELECT COUNT(*) FROM (SELECT member_id FROM loyalty_ledger GROUP BY member_id HAVING MAX(seq) <> COUNT(*)) gaps)" \
  | { read -r purchases keys entries earning gaps
      echo "check: $purchases purchases, $keys distinct keys, $entries earn entries for $earning earning purchases, $gaps members with a gap in seq" >&2
      cat >"$OUT/loyalty-load-x$PER_REQUEST.md" <<MD
# Loyalty load run ($(date -u +%Y-%m-%dT%H:%MZ))

Purchases through the earning rules (bands, a category multiplier, a recurring boost with a cap) and the ledger,
$PER_REQUEST purchase(s) per HTTP request (1: POST /api/loyalty/purchases; more: POST /api/loyalty/purchases/batch), each with
its own idempotency key, over $MEMBERS members, against the real server (Release, --modules loyalty) and PostgreSQL 15
with its durable defaults (fsync, synchronous_commit on), everything on 127.0.0.1 on this machine ($(nproc) cores,
$CPU_MODEL, shared: load average before the run $LOAD_BEFORE). Group commit: several
members' purchases per transaction. $MODE_TEXT
Warm-up $WARMUP s, then $SECONDS_RUN s measured. Settings: ${SPIN:-none}; $WRITEBACK.

\`\`\`json
$(cat "$OUT/loyalty-load-x$PER_REQUEST.json")
\`\`\`

Ledger check after the run: $purchases purchases, $keys distinct idempotency keys, $entries earn entries for $earning
earning purchases, $gaps members with a gap in their entry sequence. CPU used: $CPU_SPLIT (the load client used the rest).
Seconds of the run with answers over 50 ms (count, slowest): $(sed -n 's/^second: answers over 50 ms (slowest ms) — //p' "$PGDIR/client.err")
MD
    }
if [ -n "${STATEMENTS:-}" ]; then # PG_SERVER_OPTIONS="-c shared_preload_libraries=pg_stat_statements" STATEMENTS=1
  psql "host=127.0.0.1 port=$PGPORT user=socle dbname=postgres" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
  psql "host=127.0.0.1 port=$PGPORT user=socle dbname=postgres" -c "
    SELECT calls, round(total_exec_time::numeric, 0) AS exec_ms, round(total_plan_time::numeric, 0) AS plan_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 25" >&2
fi
echo "written: $OUT/loyalty-load-x$PER_REQUEST.md" >&2
