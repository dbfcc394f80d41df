"""MiniMax's quirk: errors that arrive inside an HTTP 200, as ``base_resp``.

MiniMax may answer 200 with ``{"base_resp": {"status_code": N, "status_msg": …}}`` and
``choices: null`` — as a JSON body or as an SSE data line — instead of an HTTP error.
``check_base_resp`` raises the error tree's error for it:

- 1004 and 2049 (bad or invalid key) → ``provider.auth``, 1008 (balance) →
  ``provider.balance``, 2013 (bad parameters) → ``provider.bad_request``:
  ``ProviderRejected``, never retried;
- 1002 and 1039 (rate limits) → ``provider.rate_limited``; every other code (1000, 1001,
  1024, 1033, and codes not documented yet) → ``provider.unavailable``: ``ProviderTransient``.

Other vendors never send ``base_resp``, so checking every response costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from codeflow_widget.model.errors import ProviderRejected, ProviderTransient

REJECTED = {
    1004: "provider.auth",
    2049: "provider.auth",
    1008: "provider.balance",
    2013: "provider.bad_request",
}
RATE_LIMITED = {1002, 1039}


def check_base_resp(
    base_resp: Any, ctx: dict[str, Any], *, key_env: str, redact: Callable[[str], str]
) -> None:
    """Raise for ``base_resp.status_code`` ≠ 0; a missing or malformed ``base_resp`` is fine."""
    if not isinstance(base_resp, Mapping):
        return
    try:
        code = int(base_resp.get("status_code") or 0)
    except (TypeError, ValueError):
        return
    if code == 0:
        return
    detail = redact(base_resp.get("status_msg") or "")
    if code in REJECTED:
        raise rejected(code, ctx, key_env=key_env, detail=detail)
    message = "provider.rate_limited" if code in RATE_LIMITED else "provider.unavailable"
    raise ProviderTransient(message, **{**ctx, "status": code}, detail=detail)


def rejected(code: int, ctx: dict[str, Any], *, key_env: str, detail: str) -> ProviderRejected:
    """The never-retried error for one of the ``REJECTED`` codes."""
    return ProviderRejected(
        REJECTED[code], **{**ctx, "status": code}, env_var=key_env, detail=detail
    )
