#!/usr/bin/env bash
# Loopback load on the voting API with a real server and a durable PostgreSQL (fsync on):
#   1. publish the demo election's board and a 1,000-ballot Ed25519 board (made by the benchmark project) with
#      `socle vote publish`;
#   2. run `socle serve --modules voting` on a free loopback port;
#   3. drive it with bench/load/voting/LoadClient: read a published report, the board page, download a board, and
#      verify uploaded boards (bounded by Socle:Voting:MaxConcurrentVerifications);
#   4. write bench/results/<date>/voting-load.md and stop everything.
# Usage: bench/load/voting/load.sh [seconds per scenario, default 20]
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECONDS_PER=${1:-20}
source bench/load/voting/common.sh
dotnet build bench/load/voting/LoadClient -c Release -nologo -v quiet -clp:NoSummary >/dev/null
LOAD="dotnet $ROOT/bench/load/voting/LoadClient/bin/Release/net10.0/socle-voting-load.dll"
start_pg

# Boards: the Belenios reference election (10 ballots) and the demo election made at the server's first start.
REF=$ROOT/data/voting/belenios-2.5.1/ed25519-10-voters/RQAkXtFadUmbNp.bel
$SOCLE vote publish "$REF" --db "$DB" >/dev/null

start_server --modules voting
DEMO=$(curl -sf "$URL/api/voting/boards" | python3 -c 'import json,sys; print([b["uuid"] for b in json.load(sys.stdin) if b["uuid"] != "RQAkXtFadUmbNp"][0])')

results=()
run() { echo "  $*" >&2; local r; r=$($LOAD "$URL" "$@" || true); echo "    $r" >&2; results+=("$r"); }
echo "running ${SECONDS_PER}s per scenario…" >&2
run report 16 "$SECONDS_PER" RQAkXtFadUmbNp
run page 16 "$SECONDS_PER" "$DEMO"
run download 8 "$SECONDS_PER" "$DEMO"
run verify 4 "$SECONDS_PER" "$REF"

DATE=$(date -u +%Y-%m-%d)
OUT=$ROOT/bench/results/$DATE/voting-load.md
mkdir -p "$(dirname "$OUT")"
printf '%s\n' "${results[@]}" > "$WORK/results.jsonl"
python3 - "$OUT" "$(nproc)" "$(cat /proc/loadavg)" "$WORK/results.jsonl" <<'PY'
import json, sys
out, cores, load, path = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in open(path) if l.strip()]
names = {
  "report": "GET /api/voting/boards/{uuid} (stored report, PostgreSQL)",
  "page": "GET /voting/boards/{uuid} (server-rendered page)",
  "download": "GET /api/voting/boards/{uuid}/board (130 KiB board)",
  "verify": "POST /api/voting/verify (Belenios 10-ballot board, full verification)",
}
lines = ["# Voting API under loopback load", "",
  f"`socle serve --modules voting` with a durable PostgreSQL 15 (fsync on), driven by bench/load/voting/LoadClient on the",
  f"same machine ({cores} cores, shared with other builds; load average {load.split()[0]}–{load.split()[2]} at the end).",
  "Verification is bounded by Socle:Voting:MaxConcurrentVerifications = 2 (each uses all cores).", "",
  "| scenario | clients | requests | errors | per second | p50 ms | p95 ms | p99 ms | max ms |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    lines.append(f"| {names[r['scenario']]} | {r['concurrency']} | {r['requests']} | {r['errors']} | {r['perSecond']} | {r['p50']} | {r['p95']} | {r['p99']} | {r['max']} |")
open(out, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
