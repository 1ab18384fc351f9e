#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this). Builds everything, starts a throwaway PostgreSQL 15
# cluster, runs every test project against SQLite and PostgreSQL, and ends with "N passed, N failed".
#   ./test.sh                 everything
#   ./test.sh --filter X      only tests whose name matches (dotnet test --filter syntax)
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
FILTER=()
if [ "${1:-}" = "--filter" ] && [ -n "${2:-}" ]; then FILTER=(--filter "$2"); fi

say() { printf '\n== %s\n' "$*"; }

# --- What the tests need from the machine, installed only when missing -------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
command -v belenios-tool >/dev/null 2>&1 || missing+=(belenios-tool)
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: ${missing[*]} missing and not root; install them with apt-get" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/tmp/socle-apt.log 2>&1 \
    || { apt-get update -q >>/tmp/socle-apt.log 2>&1 && apt-get install -y -q "${missing[@]}" >>/tmp/socle-apt.log 2>&1; } \
    || { cat /tmp/socle-apt.log >&2; echo "error: could not install ${missing[*]}" >&2; exit 1; }
fi
command -v node >/dev/null 2>&1 || { echo "error: Node.js is needed to build the browser bundles (web/)" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- Build ---------------------------------------------------------------------------------------------------------
say "Building"
if ! dotnet build Socle.slnx -c Release -nologo -v quiet -clp:NoSummary; then
  echo "0 passed, 1 failed (the build failed)"
  exit 1
fi

# --- PostgreSQL ----------------------------------------------------------------------------------------------------
PGDIR=$(mktemp -d /tmp/socle-pg.XXXXXX)
RESULTS=$(mktemp -d /tmp/socle-results.XXXXXX)
cleanup() {
  "$ROOT/scripts/postgres.sh" stop "$PGDIR" >/dev/null 2>&1 || true
  rm -rf "$RESULTS"
}
trap cleanup EXIT INT TERM

say "Starting PostgreSQL 15"
if ! SOCLE_TEST_POSTGRES=$("$ROOT/scripts/postgres.sh" start "$PGDIR" fast); then
  echo "0 passed, 1 failed (PostgreSQL did not start)"
  exit 1
fi
export SOCLE_TEST_POSTGRES SOCLE_REQUIRE_POSTGRES=1
echo "PostgreSQL on ${SOCLE_TEST_POSTGRES%%;Username*}"

# --- Tests ---------------------------------------------------------------------------------------------------------
say "Testing"
dotnet test Socle.slnx -c Release --no-build -nologo -v quiet \
  --logger "console;verbosity=minimal" --results-directory "$RESULTS" \
  --blame-hang-timeout 10m "${FILTER[@]}" 2>&1 | tee "$RESULTS/console.log"
status=${PIPESTATUS[0]}

# One summary line per test project: "Passed!  - Failed:     0, Passed:    55, Skipped:     0, Total:    55, ..."
passed=0; failed=0; skipped=0; summaries=0
while read -r f p s; do
  summaries=$((summaries + 1)); failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -n 's/.*\(Passed\|Failed\)! *- *Failed: *\([0-9]*\), *Passed: *\([0-9]*\), *Skipped: *\([0-9]*\).*/\2 \3 \4/p' "$RESULTS/console.log")
projects=$(dotnet sln Socle.slnx list 2>/dev/null | grep -c 'Tests\.csproj$' || true)
if [ "$summaries" -lt "$projects" ] && [ ${#FILTER[@]} -eq 0 ]; then
  echo "error: $projects test projects but $summaries summaries: a test host crashed or hung" >&2
  failed=$((failed + projects - summaries))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
[ "$skipped" -gt 0 ] && echo "($skipped skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
