"""Serve the scripted OpenAI-compatible server: `python -m falsereject.testing --latency 0.05`."""

from falsereject.testing.openai_server import main

main()
