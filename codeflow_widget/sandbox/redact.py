"""One redactor for every secret the parent process knows, applied before output goes anywhere.

A program's output is shown in the view, logged, saved, zipped and sent back to the model in a
correction prompt. Before any of that, ``redact(text)`` replaces:

- every value registered with ``register_secret`` (the API key the provider was built with, a key
  read from a key file);
- every environment value of this process that is secret by name (``*KEY*``, ``*TOKEN*``,
  ``*SECRET*``, ``*PASSWORD*``, …) or looks like a token (long and high-entropy, ``sk-…``,
  ``ghp_…``, a JWT);
- anything in the text shaped like a well-known credential (``sk-…``, ``ghp_…``, ``Bearer …``,
  JWTs, AWS key ids, Slack tokens), even when this process never knew it.

The sandbox already keeps these values out of the program's reach; this is the second line.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections import Counter

MASK = "[已隐藏 / redacted]"
MIN_SECRET_LEN = 8  # shorter values would mask ordinary words
SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|PASSWD|CREDENTIAL|AUTH|COOKIE|SESSION", re.I)
SHAPES = re.compile(
    r"(?:sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{16,}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|github_pat_[A-Za-z0-9_]{20,}"
    r"|xox[abprs]-[A-Za-z0-9\-]{10,}"
    r"|AKIA[0-9A-Z]{16}"
    r"|AIza[0-9A-Za-z_\-]{30,}"
    r"|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"
    r"|(?<=Bearer )[A-Za-z0-9._~+/\-]{8,}=*)"
)

_registered: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Add a value that must never appear in output (e.g. the API key a provider uses)."""
    if value and len(value) >= MIN_SECRET_LEN:
        with _lock:
            _registered.add(value)


def looks_like_token(value: str) -> bool:
    """A long value without spaces or path separators, with high character entropy."""
    if SHAPES.fullmatch(value):
        return True
    if len(value) < 20 or any(c.isspace() for c in value):
        return False
    if value.startswith(("/", "./", "~")) or re.search(r"[=:;,]", value.rstrip("=")):
        return False  # paths, lists and key=value settings (LS_COLORS) are not tokens
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    classes = sum(any(test(c) for c in value) for test in (str.islower, str.isupper, str.isdigit))
    return entropy >= 3.5 and classes >= 2


def known_secrets(environ: dict[str, str] | None = None) -> set[str]:
    """Every value this process knows that must not leak, longest first when replaced."""
    environ = dict(os.environ) if environ is None else environ
    found = {
        v
        for k, v in environ.items()
        if len(v) >= MIN_SECRET_LEN and (SECRET_NAME.search(k) or looks_like_token(v))
    }
    with _lock:
        found |= _registered
    return found


def redact(text: str, extra: set[str] | frozenset[str] = frozenset()) -> str:
    """``text`` with every known secret and every credential-shaped string masked."""
    if not text:
        return text
    for secret in sorted(known_secrets() | set(extra), key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return SHAPES.sub(MASK, text)


class Redactor:
    """A redactor bound to the secrets known when a run started (plus any registered later)."""

    def __init__(self) -> None:
        self.secrets = frozenset(known_secrets())

    def __call__(self, text: str) -> str:
        return redact(text, self.secrets)
