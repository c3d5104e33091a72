#!/usr/bin/env bash
# Builds the solution once and runs every test project under tests/, then prints one closing line:
# "N passed, N failed[, N skipped]", from the test run's own summary over all test projects. Arguments go to `dotnet test`
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
log="$results/dotnet-test.log"
# global.json opts `dotnet test` into Microsoft.Testing.Platform; xunit.v3 also writes a TRX per test project.
# --timeout ends a hung test application instead of letting it use up CI's whole budget.
dotnet test --solution Jobs.sln -c Debug --no-build \
  --report-xunit-trx --results-directory "$results" --timeout 30m "$@" 2>&1 | tee "$log" || status=$?

# The run's own summary counts every test project; TRX file names can collide between projects, so they are kept
# as artifacts but not counted.
number() { sed -n "s/^ *$1: *\([0-9]*\).*/\1/p" "$log" | tail -n 1; }
total=$(number total)
failed=$(number failed)
passed=$(number succeeded)
skipped=$(number skipped)
if [ -z "$total" ]; then
  # No summary at all: the run itself broke (a crash or a build problem); count that as a failure.
  passed=0 failed=1 skipped=0
  [ "$status" -ne 0 ] || status=1
fi

# Repeat each failure (name, message and the top of its stack) just above the closing line, so a log that keeps
# only its tail still says which test failed and why.
if [ "${failed:-0}" -gt 0 ]; then
  echo "Failed tests:"
  awk '/^failed /{keep=1; n=0} keep && /^[^ ]/ && !/^failed /{keep=0} keep && n++ < 40' "$log"
fi

summary="$passed passed, $failed failed"
if [ "${skipped:-0}" -gt 0 ]; then summary+=", $skipped skipped"; fi
echo "$summary"

if [ "$failed" -gt 0 ] && [ "$status" -eq 0 ]; then status=1; fi
exit "$status"
