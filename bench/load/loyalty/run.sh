#!/usr/bin/env bash
# Loyalty load run: purchases through the earning rules and the ledger, over HTTP, on a durable PostgreSQL 15
# (fsync and synchronous_commit on: every answered purchase is on disk), all on loopback, bounded in time.
#   bench/load/loyalty/run.sh                  30 s measured after 5 s of warm-up, 64 workers, 2,000 members
#   SECONDS_RUN=60 WORKERS=128 bench/load/loyalty/run.sh
# Writes bench/results/<date>/loyalty-load-x$PER_REQUEST.md and .json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
SECONDS_RUN=${SECONDS_RUN:-30}
WORKERS=${WORKERS:-64}
PER_REQUEST=${PER_REQUEST:-1}
MEMBERS=${MEMBERS:-2000}
PORT=${PORT:-5091}
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)"
mkdir -p "$OUT"

PGDIR=$(mktemp -d /tmp/socle-loyalty-load.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  scripts/postgres.sh stop "$PGDIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

dotnet build -c Release src/Host/Host.csproj -nologo -v q -clp:NoSummary >/dev/null
dotnet build -c Release bench/load/loyalty/LoyaltyLoad.csproj -nologo -v q -clp:NoSummary >/dev/null
# Npgsql prepares the statements the ledger repeats (a connection-string setting of the deployment)
CONN="$(scripts/postgres.sh start "$PGDIR" durable);Max Auto Prepare=64;Auto Prepare Min Usages=2"
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
  --seconds "$SECONDS_RUN" --workers "$WORKERS" --members "$MEMBERS" --per-request "${PER_REQUEST:-1}" | tee "$OUT/loyalty-load-x$PER_REQUEST.json"

TICKS=$(getconf CLK_TCK)
CPU_SPLIT="server $(( ($(cpu "$SERVER") - SERVER_CPU0) / TICKS )) s, PostgreSQL $(( ($(pg_cpu) - PG_CPU0) / TICKS )) s of CPU during the run"
echo "cpu: $CPU_SPLIT" >&2

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
its own idempotency key, $WORKERS closed-loop workers over $MEMBERS members, against the
real server (Release, --modules loyalty) and PostgreSQL 15 with its durable defaults (fsync, synchronous_commit on),
everything on 127.0.0.1 on this machine ($(nproc) cores, shared: load average before the run $LOAD_BEFORE). Group commit: several members' purchases per transaction.

\`\`\`json
$(cat "$OUT/loyalty-load-x$PER_REQUEST.json")
\`\`\`

Ledger check after the run: $purchases purchases, $keys distinct idempotency keys, $entries earn entries for $earning
earning purchases, $gaps members with a gap in their entry sequence. CPU used: $CPU_SPLIT (the load client used the rest).
MD
    }
echo "written: $OUT/loyalty-load-x$PER_REQUEST.md" >&2
