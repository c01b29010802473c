#!/usr/bin/env bash
# The inspector's write measured side by side with an earlier build of the API (default 602ecc5, the last commit
# before the move to Marten and Wolverine), both loaded by Debian's wrk in alternating rounds:
#   infra/bench-previous.sh [commit] [--quick]
# Builds that commit in a git worktree under .bench/ (ignored), then runs the benchmark scenario
# http-record-finding-vs-previous (ours = this build, baseline = the earlier one).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
commit=602ecc5
quick=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    *) commit=$arg ;;
  esac
done

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "wrk is not installed (apt-get install wrk, as root)" >&2; exit 1; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null
fi

tree=$repo/.bench/$commit
[ -d "$tree" ] || git worktree add --detach "$tree" "$commit" >/dev/null
dotnet build "$tree/src/Oversight.Api" -c Release -nologo -clp:ErrorsOnly
dotnet build tests/Oversight.Benchmarks -c Release -nologo -clp:ErrorsOnly

# API processes left running (e.g. by an interrupted test) take CPU from both builds and skew the figures.
if pgrep -f "Oversight.Api.dll" >/dev/null; then
  echo "warning: API processes already running will take CPU from this measurement:" >&2
  pgrep -af "Oversight.Api.dll" >&2
fi
ConnectionStrings__Oversight=$(infra/postgres.sh start)
export ConnectionStrings__Oversight
OVERSIGHT_BENCH_PREVIOUS_API=$tree/src/Oversight.Api/bin/Release/net10.0/Oversight.Api.dll \
  dotnet run -c Release --no-build --project tests/Oversight.Benchmarks -- --scenario http-record-finding-vs-previous "${quick[@]}"
