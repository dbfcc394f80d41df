"""Keys never reach a learner, a log line or a file: the one rule that removes them from text.

Everything the package writes where someone could read it — the trace log, an error banner,
a message in the view — goes through ``redact`` on its final text, so a key cannot sneak in
through an error message either. Two nets: the key values present in this process's
environment are replaced verbatim, and anything shaped like a key (``sk-…``, a bearer token,
a JWT, ``"api_key": "…"``) is replaced by pattern. The sandbox's run output has its own,
stricter redactor (``sandbox/redact.py``), which also catches encoded copies.
"""

from __future__ import annotations

import os
import re

_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._~+/=-]{6,})"),
    re.compile(r"\bsk-[A-Za-z0-9._-]{6,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,}"),  # JWT-style keys
    re.compile(
        r'(?i)(\\?"?(?:api[_-]?key|authorization|x-api-key|token|secret)\\?"?\s*[:=]\s*\\?"?)([^"\\,}\s]{4,})'
    ),
]
_KEY_ENV_VARS = ("CODEFLOW_API_KEY", "MINIMAX_API_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY")


def known_secrets() -> list[str]:
    """The key values present in this process's environment (to redact verbatim)."""
    return [v for name in _KEY_ENV_VARS if len(v := os.environ.get(name, "").strip()) >= 4]


def redact(text: str, extra_secrets: list[str] | tuple[str, ...] = ()) -> str:
    for secret in (*known_secrets(), *extra_secrets):
        if secret:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m, p=pattern: (m.group(1) if p.groups else "") + "***", text)
    return text
