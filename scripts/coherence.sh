#!/usr/bin/env bash
# The page-cache coherence property test (tests/Kiosque.Tests/ChangeLog/CoherenceTests.cs), long:
# random newsroom operations with random page requests in between; after each step every cached
# page must equal a fresh render on a second node without a page cache.
#   bash scripts/coherence.sh [STEPS] [SEEDS...]     (default: 1000 steps, three random seeds)
# PostgreSQL runs too when KIOSQUE_TEST_POSTGRES points at a server (scripts/test.sh starts one).
# A failure prints its seed and step: KIOSQUE_COHERENCE_SEED=N replays it exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1000}
shift || true
seeds=("$@")
if [ ${#seeds[@]} -eq 0 ]; then seeds=($RANDOM $RANDOM $RANDOM); fi
dotnet build tests/Kiosque.Tests -c Release --nologo -v quiet
for seed in "${seeds[@]}"; do
  echo "== seed $seed, $steps steps"
  KIOSQUE_COHERENCE_STEPS=$steps KIOSQUE_COHERENCE_SEED=$seed \
    dotnet tests/Kiosque.Tests/bin/Release/net10.0/Kiosque.Tests.dll -filter "/*/*/Coherence*/*" -noLogo \
    | grep -E "FAIL|Seed|First difference|Total:" || true
done
