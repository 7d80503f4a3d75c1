#!/usr/bin/env bash
# The whole test suite: builds and runs every test under the release preset and under the
# asan preset (AddressSanitizer + UndefinedBehaviorSanitizer). Exits non-zero when any test
# fails. Pass preset names to run only those: scripts/test.sh release
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-deps.sh
presets=("$@")
((${#presets[@]})) || presets=(release asan)

status=0
for preset in "${presets[@]}"; do
  echo "== $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" || status=1
done
exit $status
