#!/usr/bin/env bash
# Every test: set up if needed, then the C++ suites (ctest) and the Python suite (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ctest --test-dir build/py --output-on-failure
.venv/bin/python -m pytest tests/python -q
