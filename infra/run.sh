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
      echo "Oversight API ready at $url (health: $url/health/ready; dashboard: $url/dashboard; read models catch up in the background after a seed)"
      exit 0
    fi
    sleep 0.5
  done
  echo "Oversight API did not become ready within 60 s" >&2
) &
exec dotnet run -c Release --no-build --no-launch-profile --project src/Oversight.Api -- --urls "$url"
