#!/usr/bin/env bash
# The offline quick start: install falsereject with the embedded model into .venv, then run
# `falsereject bench` on the built-in demo set with the embedded SmolLM2 model and the
# embedded judge. No API key, no model hub. Extra arguments go to `falsereject bench`.
#
#   bash scripts/quickstart.sh
#   bash scripts/quickstart.sh --limit 10
EXTRAS=local
source "$(dirname "$0")/_venv.sh"
# SmolLM2 rambles to any limit: 256 tokens keep the demo to a few minutes on 2 cores.
exec .venv/bin/falsereject bench --max-tokens 256 "$@"
