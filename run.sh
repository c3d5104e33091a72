#!/usr/bin/env bash
# Runs the whole system through its Aspire AppHost: PostgreSQL and Redis from this machine's binaries (data under
# .jobs/), the API, two workers and the UI, and the Aspire dashboard at http://127.0.0.1:18888 (JOBS_DASHBOARD_PORT
# moves it, with its telemetry and resource-service ports just above). Arguments go to the AppHost, e.g.
# `./run.sh --publisher manifest --output-path aspire-manifest.json`. Ctrl-C or SIGTERM stops everything.
set -euo pipefail
caller="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/prerequisites.sh

ensure_servers

# What Properties/launchSettings.json sets for `dotnet run` and IDEs, with the port made movable. Plain http on the
# loopback address: there is no developer certificate here.
dashboard_port="${JOBS_DASHBOARD_PORT:-18888}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
export ASPNETCORE_URLS="http://127.0.0.1:${dashboard_port}"
export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$((dashboard_port + 1))"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$((dashboard_port + 2))"
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true

# Aspire resolves a relative --output-path against the AppHost's folder; the caller means their own.
args=()
for arg in "$@"; do
  if [ "${previous:-}" = "--output-path" ] && [[ "$arg" != /* ]]; then arg="$caller/$arg"; fi
  args+=("$arg")
  previous="$arg"
done

# exec: signals reach `dotnet run`, which passes them to the AppHost; the AppHost has DCP stop every resource.
exec dotnet run --project src/Jobs.AppHost --no-launch-profile -- ${args[@]+"${args[@]}"}
