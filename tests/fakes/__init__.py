"""Test doubles that speak real protocols: an OpenAI-compatible SSE server on 127.0.0.1.

``FakeLLMServer`` plays each provider's wire format and each fault; the
``fake_llm`` fixture (``tests/fakes/fixtures.py``) starts one per test.
"""

from .scenarios import REASONING_MARKER, Reply
from .server import FakeLLMServer, RecordedRequest

__all__ = ["REASONING_MARKER", "FakeLLMServer", "RecordedRequest", "Reply"]
