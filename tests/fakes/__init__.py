"""Test doubles that speak real protocols: an OpenAI-compatible SSE server on 127.0.0.1.

``server.FakeLLMServer`` plays each provider's wire format and each fault
(``scenarios``); the ``fake_llm`` fixture (``fixtures``) starts one per test.
Nothing is imported here, so ``python -m tests.fakes.server`` runs cleanly.
"""
