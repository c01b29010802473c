#!/usr/bin/env bash
# Sets up and starts the service on the private PostgreSQL: installs/starts the cluster, migrates the schema
# through the CLI, then runs the API on http://127.0.0.1:8080 (Development) until Ctrl+C.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
url=${OVERSIGHT_URL:-http://127.0.0.1:8080}

ConnectionStrings__Oversight=$(infra/postgres.sh start)
export ConnectionStrings__Oversight
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

dotnet build OversightBackend.sln -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project src/Oversight.Cli -- migrate

# Report readiness once the API answers /health/ready.
(
  for _ in $(seq 1 120); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then echo "Oversight API ready at $url (health: $url/health/ready)"; exit 0; fi
    sleep 0.5
  done
  echo "Oversight API did not become ready within 60 s" >&2
) &
exec dotnet run -c Release --no-build --no-launch-profile --project src/Oversight.Api -- --urls "$url"
