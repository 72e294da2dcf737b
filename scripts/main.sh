#!/usr/bin/env bash
# The main job: set up if needed, then run the default experiment file (the Vogels-Abbott
# balanced network, 4000 neurons, 1 s) with the spikegraph command line into
# results/vogels_abbott.h5, and print a summary with a raster plot. Extra arguments go to
# `spikegraph run` (e.g. --seed 2, --threads 1, --set experiment.duration=5000, --force).
# A second call finds the run complete and only reports it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/spikegraph run examples/experiments/vogels_abbott.toml -o results/vogels_abbott.h5 "$@"
exec .venv/bin/python examples/report.py results/vogels_abbott.h5 --raster results/vogels_abbott_raster.png
