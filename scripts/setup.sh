#!/usr/bin/env bash
# Everything spikegraph needs on a Debian 12 machine, idempotent and quick when nothing changed:
# Debian packages, a virtual environment in .venv, and the build (library, C++ tests, Python
# extension) in build/py. Called by scripts/main.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ make pkg-config python3 python3-venv python3-dev libboost-graph-dev libeigen3-dev
          libtbb-dev libhdf5-dev doctest-dev libtomlplusplus-dev libcli11-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment .venv"
  python3 -m venv .venv
fi
stamp=".venv/.requirements.sha1"
wanted=$(sha1sum scripts/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r scripts/requirements.txt
  echo "$wanted" > "$stamp"
fi

# Rebuild only when a source file changed (the build itself is incremental as well).
sources=$(find CMakeLists.txt pyproject.toml cmake core neurons plasticity backends hardware python tests examples \
            -type f \( -name '*.cpp' -o -name '*.hpp' -o -name 'CMakeLists.txt' -o -name '*.cmake' \
            -o -name '*.toml' -o -path 'python/spikegraph/*.py' \) 2>/dev/null | LC_ALL=C sort | xargs sha1sum | sha1sum | cut -d' ' -f1)
build_stamp="build/py/.sources.sha1"
if [ "$(cat "$build_stamp" 2>/dev/null)" != "$sources" ] || ! .venv/bin/python -c "import spikegraph" 2>/dev/null; then
  echo "setup: building spikegraph (library, C++ tests, Python extension) in build/py"
  export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}"
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation \
    -C build-dir=build/py -C cmake.define.SPIKEGRAPH_BUILD_TESTS=ON .
  echo "$sources" > "$build_stamp"
fi
