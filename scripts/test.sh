#!/usr/bin/env bash
# Install falsereject with everything the tests use into .venv, then run the whole suite
# (offline; the real llama.cpp model, a tiny torch model, a loopback OpenAI server).
# Extra arguments go to pytest.
#
#   bash scripts/test.sh
#   bash scripts/test.sh -m "not slow" -x
EXTRAS=dev,local,parquet
source "$(dirname "$0")/_venv.sh"
# A CPU build of torch for the hf-provider tests. TORCH_SPEC picks another build; the default
# pin is the CPU wheel that our CI machines hold locally (a bare `torch` pulls CUDA, GBs).
if ! .venv/bin/python -c 'import torch' 2>/dev/null; then
  .venv/bin/python -m pip install -q "${TORCH_SPEC:-torch==2.13.0}"
fi
.venv/bin/python -m pip install -q -e ".[hf]"
exec .venv/bin/python -m pytest "$@"
