#!/usr/bin/env bash
# Builds the solution once and runs every test project under tests/, then prints one closing line:
# "N passed, N failed[, N skipped]", summed over the TRX files of all test projects. Arguments go to `dotnet test`
# (e.g. --filter-class Jobs.AppHost.Tests.AppModelTests). Exits non-zero when a test failed or the run itself failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/prerequisites.sh

ensure_servers
ensure_chromium

results="$PWD/.jobs/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build Jobs.sln -c Debug

status=0
# global.json opts `dotnet test` into Microsoft.Testing.Platform; xunit.v3 writes one TRX per test project.
# --timeout ends a hung test application instead of letting it use up CI's whole budget.
dotnet test --solution Jobs.sln -c Debug --no-build \
  --report-xunit-trx --results-directory "$results" --timeout 30m "$@" || status=$?

# One TRX per test project; each has a single <Counters …/> element.
passed=0 failed=0 skipped=0
attribute() {
  local value
  value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2")
  echo "${value:-0}"
}
shopt -s nullglob globstar
for trx in "$results"/**/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  [ -n "$counters" ] || continue
  passed=$((passed + $(attribute passed "$counters")))
  failed=$((failed + $(attribute failed "$counters") + $(attribute error "$counters") + $(attribute timeout "$counters") + $(attribute aborted "$counters")))
  skipped=$((skipped + $(attribute notExecuted "$counters")))
done

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary+=", $skipped skipped"; fi
echo "$summary"

if [ "$failed" -gt 0 ] && [ "$status" -eq 0 ]; then status=1; fi
exit "$status"
