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
# Lava peer: lava-nc 0.10.0 (Intel's bit-accurate Loihi models) in its own environment; it declares
# Python < 3.11, so its dependencies are installed first and lava-nc without its version check.
# Without it the Lava comparison tests are skipped, nothing else changes.
lava_reqs="numpy==1.26.4 scipy==1.17.1 scikit-learn==1.9.1 networkx==2.8.7 asteval==0.9.33"
lava_wanted=$(echo "lava-nc==0.10.0 $lava_reqs" | sha1sum | cut -d' ' -f1)
lava_stamp=".venv-lava/.lava-peer.sha1"
if [ "$(cat "$lava_stamp" 2>/dev/null)" != "$lava_wanted" ]; then
  echo "test: installing the Lava peer (lava-nc 0.10.0) into .venv-lava"
  rm -rf .venv-lava
  # shellcheck disable=SC2086
  if python3 -m venv .venv-lava \
     && .venv-lava/bin/python -m pip install -q $lava_reqs \
     && .venv-lava/bin/python -m pip install -q --no-deps --ignore-requires-python lava-nc==0.10.0 \
     && .venv-lava/bin/python -c "import sys; sys.path.insert(0, 'tests/python'); import lava_peer"; then
    echo "$lava_wanted" > "$lava_stamp"
  else
    echo "test: could not install lava-nc into .venv-lava; the Lava comparison tests will be skipped" >&2
    rm -rf .venv-lava
  fi
fi
.venv/bin/ctest --test-dir build/py --output-on-failure
.venv/bin/python -m pytest tests/python -q
