#!/usr/bin/env bash
# Runs the whole topology on this machine (DESIGN §3, local mode): PostgreSQL and Redis with data under .jobs/,
# then the API, the workers and the UI. Arguments go to the AppHost, e.g. `./run.sh --publisher manifest
# --output-path aspire-manifest.json`. Ctrl-C or SIGTERM stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/prerequisites.sh

ensure_servers
# exec: signals reach dotnet directly, which forwards them to the AppHost.
exec dotnet run --project src/Jobs.AppHost -- "$@"
