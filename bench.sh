#!/usr/bin/env bash
# The comparison in one command: Jobs and its peers (BullMQ, graphile-worker, pg-boss, Hangfire) on the same
# throwaway PostgreSQL and Redis, same job count and concurrency. Prints a table and writes bench/results/*.json.
# Every system runs three times, interleaved; the tables show medians (docs/benchmarks.md).
#   ./bench.sh [--quick] [--only jobs,bullmq,graphile-worker,pg-boss,hangfire] [--runs N]
set -euo pipefail
cd "$(dirname "$0")"

quick=""; limit=3000; rest=(); only="jobs,bullmq,graphile-worker,pg-boss,hangfire"; prev=""
for a in "$@"; do
  if [[ $a == --quick ]]; then quick="--quick"; limit=900; else rest+=("$a"); fi
  if [[ $prev == --only ]]; then only="$a"; fi
  prev="$a"
done

runner_pid=""
cleanup() {
  # The runner stops what it started; if it is interrupted, its process group (servers included) goes with it.
  if [[ -n "$runner_pid" ]] && kill -0 "$runner_pid" 2>/dev/null; then
    kill -TERM "$runner_pid" 2>/dev/null || true
    sleep 3
    kill -KILL -- "-$runner_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
# A signal ends the script (running the EXIT trap) instead of resuming it after the handler.
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== build (Release)"
dotnet build -c Release tools/Jobs.Compare -v quiet -nologo -clp:ErrorsOnly
dotnet build -c Release bench/peers/hangfire -v quiet -nologo -clp:ErrorsOnly
for peer in bullmq graphile-worker pg-boss; do
  # Only the peers this run will start need their packages.
  if [[ ",$only," == *",$peer,"* && ! -d bench/peers/$peer/node_modules ]]; then
    # The lock pins every version; `npm ci` refuses a lock that lists optional platform packages (msgpackr-extract's
    # for other OSes) the registry here does not serve, so `npm install` (which keeps the lock's versions) follows.
    (cd bench/peers/$peer && { npm ci --no-audit --no-fund --loglevel=silent 2>/dev/null || npm install --no-audit --no-fund --loglevel=error; })
  fi
done

echo "== run ($([[ -n $quick ]] && echo quick || echo full), bounded at ${limit} s)"
# Its own process group, so that the trap can end everything under it.
set -m
timeout --signal=TERM --kill-after=20 "$limit" \
  dotnet tools/Jobs.Compare/bin/Release/net10.0/Jobs.Compare.dll $quick "${rest[@]}" \
  --results bench/results --peers bench/peers &
runner_pid=$!
set +m
wait "$runner_pid"
