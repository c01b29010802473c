#!/usr/bin/env bash
# Runs N API nodes against the private PostgreSQL (or ConnectionStrings__Oversight), on consecutive ports from
# OVERSIGHT_PORT (default 8080), until Ctrl+C. Every node serves HTTP; projections are led by one node at a time
# (the others take over when it dies) and message workers on all nodes share the outbox.
#   infra/nodes.sh 3        # nodes on :8080, :8081, :8082
# Put a load balancer in front for clients; kill any node (even with SIGKILL) and the others carry on.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
count=${1:-2}
first=${OVERSIGHT_PORT:-8080}

if [ -z "${ConnectionStrings__Oversight:-}" ]; then
  ConnectionStrings__Oversight=$(infra/postgres.sh start)
fi
export ConnectionStrings__Oversight
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}

dotnet build OversightBackend.sln -c Release -nologo -clp:ErrorsOnly
dotnet run -c Release --no-build --project src/Oversight.Cli -- migrate

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
for i in $(seq 0 $((count - 1))); do
  port=$((first + i))
  Runtime__NodeId="node-$port" dotnet src/Oversight.Api/bin/Release/net10.0/Oversight.Api.dll --urls "http://127.0.0.1:$port" &
  pids+=("$!")
  echo "node-$port: http://127.0.0.1:$port (pid $!)"
done
wait
