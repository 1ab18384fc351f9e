#!/usr/bin/env bash
# Casting throughput: voters cast ballots encrypted ahead of time (as the booth does) through the HTTP API, with a
# bounded number of concurrent clients, to `socle serve --modules voting` on a durable PostgreSQL 15 (fsync and
# synchronous_commit on: every receipt's ballot is on disk). The server checks every ballot in full — canonical form,
# the signed-in voter's credential, the signature and every proof — before the group commit that records it.
# The integrity monitor runs as in production (every 30 s unless INTEGRITY is set).
#   bench/load/voting/cast.sh                                   20,000 voters, 48 clients, 4 candidates + blank
#   VOTERS=50000 CLIENTS=64 CANDIDATES=10 bench/load/voting/cast.sh
#   WARMUP=6000 bench/load/voting/cast.sh                       more untimed casts first (default: a tenth, at most 500)
# Afterwards the board is downloaded and verified with `socle vote verify`.
# Writes bench/results/<date>/voting-cast-c<candidates>.md and .json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
VOTERS=${VOTERS:-20000}
# 48 voters casting at once: with 32, about 15 % of the two cores stayed idle while each group commit was flushed.
CLIENTS=${CLIENTS:-48}
CANDIDATES=${CANDIDATES:-4}
GROUP=${GROUP:-Ed25519}
INTEGRITY=${INTEGRITY:-30}
# On 2 cores shared by the server, PostgreSQL and the client, idle thread-pool threads should not spin (a setting of
# the deployment, as in docs/voting/election-service.md).
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0}
source bench/load/voting/common.sh
dotnet build bench/load/voting/CastLoad -c Release -nologo -v quiet -clp:NoSummary >/dev/null
CAST="dotnet $ROOT/bench/load/voting/CastLoad/bin/Release/net10.0/socle-voting-cast.dll"

# Npgsql prepares the statements casting repeats and keeps them across pooled uses (connection-string settings of
# the deployment; the election's schema is a connection parameter, so nothing needs resetting between uses).
start_pg "${PG_EXTRA:-Max Auto Prepare=32;Auto Prepare Min Usages=2;No Reset On Close=true}"
start_server --modules voting --Socle:Demo:Seed false --Socle:Voting:MailPickupDirectory "$WORK/mail" \
  --Socle:Voting:IntegrityCheckSeconds "$INTEGRITY" --Logging:LogLevel:Default Warning

cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
pg_cpu() { local m t; m=$(head -1 "$PG/data/postmaster.pid"); t=$(cpu "$m"); for p in $(pgrep -P "$m"); do t=$((t + $(cpu "$p"))); done; echo "$t"; }
STATUS=0
# The client prints "timed" when the timed part starts and its result when it ends: CPU is counted between the two.
exec 3< <($CAST "$URL" "$WORK/mail" "$VOTERS" "$CLIENTS" "$CANDIDATES" "$GROUP" ${WARMUP:+"$WARMUP"} 2>&1; echo "exit $?")
RESULT=""
while IFS= read -r line <&3; do
  case "$line" in
    *"timed casts"*) echo "$line" >&2; S0=$(cpu "$SERVER_PID"); P0=$(pg_cpu); T0=$(awk '{print $1}' /proc/uptime) ;;
    "{"*) RESULT=$line; S1=$(cpu "$SERVER_PID"); P1=$(pg_cpu); T1=$(awk '{print $1}' /proc/uptime) ;;
    "exit "*) [ "${line#exit }" = 0 ] || STATUS=${line#exit } ;;
    *) echo "$line" >&2 ;;
  esac
done
TICKS=$(getconf CLK_TCK)
CLIENT_CPU=$(echo "$RESULT" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("clientCpuSeconds", 0))')
CPU_SPLIT=$(python3 -c "w=$T1-$T0; s=($S1-$S0)/$TICKS; p=($P1-$P0)/$TICKS; c=$CLIENT_CPU; print(f'{w:.1f} s wall: server {s:.1f} s CPU, PostgreSQL {p:.1f} s, load client {c:.1f} s (of {2*w:.1f} core-seconds; {2*w-s-p-c:.1f} idle or other)')")
echo "$RESULT" >&2
echo "cpu: $CPU_SPLIT" >&2
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
ELECTION=$(echo "$RESULT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["election"])')

# The whole board, as anyone can download it, verifies.
curl -sf "$URL/api/voting/elections/$ELECTION/board" -o "$WORK/board.bel"
if $SOCLE vote verify "$WORK/board.bel" >"$WORK/verify.txt" 2>&1; then
  VERIFY="$(grep -m1 '^OK:' "$WORK/verify.txt" | sed 's/ — .*, verified/, verified/'); $(grep -m1 "ballot(s) on the board" "$WORK/verify.txt" | sed 's/^ *//;s/;.*//'); $(du -h "$WORK/board.bel" | cut -f1) downloaded"
else
  VERIFY="THE BOARD DOES NOT VERIFY: $(tail -5 "$WORK/verify.txt" | tr '\n' ' ')"; STATUS=1
fi
echo "verify: $VERIFY" >&2
grep -iE "fail|exception" "$WORK/server.log" | head -5 >&2 || true

DATE=$(date -u +%Y-%m-%d)
OUT=$ROOT/bench/results/$DATE/voting-cast-c$CANDIDATES
mkdir -p "$(dirname "$OUT")"
echo "$RESULT" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("adminToken", None); print(json.dumps(d))' > "$OUT.json"
python3 - "$OUT" "$(nproc)" "$LOAD_BEFORE" "$LOAD_AFTER" "$INTEGRITY" "$VERIFY" "$(lscpu | sed -n 's/^Model name: *//p')" "$CPU_SPLIT" <<'PY'
import json, sys
out, cores, before, after, integrity, verify, cpu, split = sys.argv[1:9]
r = json.load(open(out + ".json"))
lines = [f"# Casting ballots under loopback load ({r['group']}, {r['candidates']} candidates + blank)", "",
  "`socle serve --modules voting` on a durable PostgreSQL 15 (fsync and synchronous_commit on), driven by",
  "bench/load/voting/CastLoad on the same machine. Each voter signed in (one-time code) beforehand and their ballot was",
  "encrypted beforehand, as the booth does; the timed part is POST /api/voting/elections/{id}/ballots with an",
  "Idempotency-Key, where the server parses the ballot, checks it is signed with the voter's own credential, verifies",
  "the signature and every proof, then records it (board, receipt, émargement) in a group commit.",
  f"Integrity monitor: every {integrity} s (0 = off) it re-verifies the board against the émargement list.", "",
  f"Machine: {cores} cores ({cpu}), 24 GiB; load average before {before}, after {after}.", "",
  "| ballots | clients | errors | seconds | ballots/s | p50 ms | p95 ms | p99 ms | max ms | in the box | voted (émargement) |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  f"| {r['ballots']} (+{r['warmUp']} warm-up) | {r['concurrency']} | {r['errors']} | {r['seconds']} | {r['perSecond']} | {r['p50']} | {r['p95']} | {r['p99']} | {r['max']} | {r['inBox']} | {r['voted']} |",
  "", f"CPU during the timed part: {split}.", "", f"Afterwards: `socle vote verify` on the downloaded board: {verify.strip()}"]
open(out + ".md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
exit $STATUS
