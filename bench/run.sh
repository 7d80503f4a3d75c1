#!/usr/bin/env bash
# Warraq beside Typst, WeasyPrint and pandoc on the same content: see bench/run.py (every
# argument is passed on). Peers: bash scripts/setup-bench.sh.
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
