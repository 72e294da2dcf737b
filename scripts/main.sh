#!/usr/bin/env bash
# The main job: set up if needed, then run the default experiment (Vogels-Abbott balanced
# network, 4000 neurons, 1 s) on the CPU backend, writing results/ and printing a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python examples/vogels_abbott.py "$@"
