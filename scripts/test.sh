#!/usr/bin/env bash
# Every test: set up if needed, then the C++ suites (ctest) and the Python suite (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Test-only peers (torch, snnTorch); without them their tests are skipped, nothing else changes.
stamp=".venv/.requirements-test.sha1"
wanted=$(sha1sum scripts/requirements-test.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "test: installing the test peers (scripts/requirements-test.txt) into .venv"
  if .venv/bin/python -m pip install -q -r scripts/requirements-test.txt; then
    echo "$wanted" > "$stamp"
  else
    echo "test: could not install torch/snnTorch; their comparison tests will be skipped" >&2
  fi
fi
.venv/bin/ctest --test-dir build/py --output-on-failure
.venv/bin/python -m pytest tests/python -q
