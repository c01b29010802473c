#!/usr/bin/env bash
# Sets up and starts the service on the private PostgreSQL: installs/starts the cluster, migrates the schema
# through the CLI, seeds the FY2022 demo dataset on first start (through the CLI: the API never seeds, so an
# operator's empty database stays empty), then runs the API on http://127.0.0.1:8080 (Development) until Ctrl+C.
# OVERSIGHT_SEED=0 skips the seed; OVERSIGHT_SEED_SCALE sets its scale (default 1.0).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
url=${OVERSIGHT_URL:-http://127.0.0.1:8080}

ConnectionStrings__Oversight=$(infra/postgres.sh start)
export ConnectionStrings__Oversight
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

dotnet build OversightBackend.sln -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project src/Oversight.Cli -- migrate
if [ "${OVERSIGHT_SEED:-1}" != "0" ]; then
  dotnet run -c Release --no-build --project src/Oversight.Cli -- seed --profile fy2022 --scale "${OVERSIGHT_SEED_SCALE:-1.0}" --if-empty
fi

# Report readiness once the API answers /health/ready.
(
  for _ in $(seq 1 120); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then
      # Ready to serve; the figures are complete once every read model is at the head of the event log (the seed builds
      # them itself, so after a seed this is at once; otherwise the daemon catches up and this says how far it is).
      while true; do
        lag=$(dotnet "$repo/src/Oversight.Cli/bin/Release/net10.0/oversight.dll" projections status --format csv 2>/dev/null \
          | awk -F, 'NR > 1 { total += $5; if ($5 > 0) behind = behind " " $1 " " $3 "/" $4 } END { print (NR > 1 ? total + 0 : "?") "|" behind }')
        if [ "${lag%%|*}" = "?" ]; then
          echo "Oversight API ready at $url (projection status unreadable: see 'oversight projections status')"
          exit 0
        elif [ "${lag%%|*}" = 0 ]; then
          echo "Oversight API ready at $url with complete figures (health: $url/health/ready; dashboard: $url/dashboard)"
          exit 0
        fi
        echo "Oversight API serving at $url; read models still filling (${lag%%|*} events to go:${lag#*|})"
        sleep 5
      done
    fi
    sleep 0.5
  done
  echo "Oversight API did not become ready within 60 s" >&2
) &
exec dotnet run -c Release --no-build --no-launch-profile --project src/Oversight.Api -- --urls "$url"
