#!/usr/bin/env bash
# Runs every test against the private PostgreSQL (started here if needed), then the benchmark harness in
# --quick mode as a smoke test of its output. Exit code is non-zero on any failure.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# Tools the tests use: docker-compose validates docker-compose.yml (no Docker engine is needed for that);
# Debian's chromium runs the dashboard test headless (Playwright drives it; `playwright install` is never used).
# Debian's wrk loads the API in the HTTP benchmarks (the client must not take the server's CPU).
missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 ||
    echo "warning: could not install ${missing[*]}" >&2
fi

ConnectionStrings__Oversight=$(infra/postgres.sh start)
export ConnectionStrings__Oversight

dotnet build OversightBackend.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
status=0
dotnet test OversightBackend.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line for the whole suite: "N passed, N failed, N skipped".
awk '/^(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
[ "$status" -eq 0 ] || exit "$status"

echo "benchmark smoke run (--quick; figures from a short run are indicative only):"
bench=$(dotnet run -c Release --no-build --project tests/Oversight.Benchmarks -- --quick)
echo "$bench"
expected=$(grep -c . <<<"$bench")
formatted=$(grep -cE '^scenario=[a-z0-9-]+ ours=[0-9.]+ baseline=[0-9.]+ ratio=[0-9.]+ unit=[a-z/]+$' <<<"$bench" || true)
if [ "$expected" -eq 0 ] || [ "$formatted" -ne "$expected" ]; then
  echo "benchmark output is not in the agreed format" >&2
  exit 1
fi
