"""Test support that users can reuse: a scripted OpenAI-compatible server on loopback."""

from falsereject.testing.openai_server import FakeOpenAIServer, Fault

__all__ = ["FakeOpenAIServer", "Fault"]
