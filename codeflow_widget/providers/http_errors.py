"""How a failed call becomes the error tree: HTTP statuses, SDK and transport exceptions.

``ProviderFailures`` is mixed into the OpenAI-compatible provider; it needs the provider's
``label``, ``model``, ``base_url``, ``key_env``, ``timeout_s`` and its ``_api_key`` (only to
redact an echo of it). The mapping, in the words of the error tree (``model/errors.py``):

- HTTP 400/422 → ``provider.bad_request``, 401 → ``provider.auth``, 402 →
  ``provider.balance``, 403 → ``provider.forbidden``, 404 → ``provider.not_found``:
  ``ProviderRejected``, never retried.
- 408/409/5xx → ``provider.unavailable``, 429 → ``provider.rate_limited`` (with
  ``retry_after`` from ``Retry-After``, at most 120 s), connection errors →
  ``provider.connection``, timeouts → ``provider.timeout``: ``ProviderTransient``.
- An ``{"error": …}`` event → ``StreamInterrupted``; a chunk that is not JSON →
  ``provider.bad_chunk``. MiniMax's ``base_resp`` codes are ``minimax.py``'s business.

Every error carries provider, status, model, base_url and attempt — never the key.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Mapping
from typing import Any

from codeflow_widget.model.errors import (
    ProviderError,
    ProviderRejected,
    ProviderTransient,
    StreamInterrupted,
)
from codeflow_widget.providers import minimax

RETRY_AFTER_CAP_S = 120.0
DETAIL_MAX_CHARS = 200
STATUS_REJECTED = {
    400: "provider.bad_request",
    401: "provider.auth",
    402: "provider.balance",
    403: "provider.forbidden",
    404: "provider.not_found",
    422: "provider.bad_request",
}


class ProviderFailures:
    """Error mapping for a provider with ``label``, ``model``, ``base_url``, ``key_env``."""

    label: str
    model: str
    base_url: str
    key_env: str
    timeout_s: float
    _api_key: Any

    # -- errors --------------------------------------------------------------------------
    def context(self, attempt: int = 1) -> dict[str, Any]:
        return {
            "provider": self.label,
            "model": self.model,
            "base_url": self.base_url,
            "attempt": attempt,
        }

    def redact(self, text: str) -> str:
        """A server's error text, shortened, on one line, with any echo of the key removed."""
        text = " ".join(str(text).split())
        if self._api_key:
            secret = self._api_key.get_secret_value()
            if secret:
                text = text.replace(secret, "***")
        return text[:DETAIL_MAX_CHARS]

    def check_base_resp(self, base_resp: Any, ctx: dict[str, Any]) -> None:
        """MiniMax: raise for ``base_resp.status_code`` ≠ 0 (an error inside HTTP 200)."""
        minimax.check_base_resp(base_resp, ctx, key_env=self.key_env, redact=self.redact)

    def error_from_body(
        self, error: Mapping[str, Any], ctx: dict[str, Any], status: Any = None
    ) -> ProviderError:
        """An ``{"error": {...}}`` payload met mid-stream (or in a 200 JSON body)."""
        detail = self.redact(error.get("message") or "")
        code = error.get("code", status)
        try:
            number = int(code) if code is not None else None
        except (TypeError, ValueError):
            number = None
        if number in STATUS_REJECTED:
            return self._status_error(number, None, {**ctx, "detail": detail})
        if number in minimax.REJECTED:
            return minimax.rejected(number, ctx, key_env=self.key_env, detail=detail)
        return StreamInterrupted(
            "provider.stream_error",
            **{**ctx, "status": code if code is not None else ""},
            detail=detail or "error",
        )

    def map_error(
        self, exc: BaseException, ctx: dict[str, Any], streaming: bool = False
    ) -> ProviderError:
        """Any exception from the SDK or the transport → the error tree."""
        import openai

        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, (asyncio.TimeoutError, openai.APITimeoutError)) or _is_httpx_timeout(
            exc
        ):
            return ProviderTransient("provider.timeout", **ctx, timeout=_seconds(self.timeout_s))
        if isinstance(exc, openai.APIStatusError):
            body = exc.body if isinstance(exc.body, Mapping) else {}
            detail = self.redact(body.get("message") or exc.message or "")
            try:
                self.check_base_resp(body.get("base_resp"), ctx)
            except ProviderError as minimax:
                return minimax
            return self._status_error(
                exc.status_code, exc.response.headers, {**ctx, "detail": detail}
            )
        if isinstance(exc, openai.APIConnectionError) or _is_httpx_transport(exc):
            if streaming:
                return StreamInterrupted(**ctx, detail=type(exc.__cause__ or exc).__name__)
            return ProviderTransient(
                "provider.connection", **ctx, detail=type(exc.__cause__ or exc).__name__
            )
        if isinstance(exc, openai.APIError):  # an {"error": …} SSE event
            body = exc.body if isinstance(exc.body, Mapping) else {"message": exc.message}
            return self.error_from_body(body, ctx)
        if isinstance(
            exc, (ValueError, UnicodeDecodeError)
        ):  # json.JSONDecodeError is a ValueError
            return ProviderTransient("provider.bad_chunk", **ctx, detail=type(exc).__name__)
        return ProviderTransient(
            "provider.bad_chunk", **ctx, detail=f"{type(exc).__name__}: {self.redact(str(exc))}"
        )

    def _status_error(
        self, status: int, headers: Mapping[str, str] | None, ctx: dict[str, Any]
    ) -> ProviderError:
        params = {**ctx, "status": status}
        if status in STATUS_REJECTED:
            code = STATUS_REJECTED[status]
            if code == "provider.auth":
                params["env_var"] = self.key_env
            return ProviderRejected(code, **params)
        retry_after = retry_after_seconds(headers or {})
        if status == 429:
            return ProviderTransient("provider.rate_limited", retry_after=retry_after, **params)
        if status in (408, 409) or status >= 500:
            return ProviderTransient("provider.unavailable", retry_after=retry_after, **params)
        return ProviderRejected("provider.bad_request", **params)


def interrupted(error: ProviderError) -> ProviderError:
    """Partial text was already yielded: make it a StreamInterrupted (same code) unless rejected."""
    if isinstance(error, (StreamInterrupted, ProviderRejected)):
        return error
    return StreamInterrupted(error.code, retry_after=error.retry_after, **error.params)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """``retry-after-ms`` / ``Retry-After`` (seconds or an HTTP date), capped at 120 s."""
    lowered = {k.lower(): v for k, v in headers.items()}
    seconds: float | None = None
    if lowered.get("retry-after-ms"):
        try:
            seconds = float(lowered["retry-after-ms"]) / 1000
        except ValueError:
            seconds = None
    if seconds is None and lowered.get("retry-after"):
        value = lowered["retry-after"].strip()
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError, IndexError, OverflowError):
                seconds = None
    if seconds is None:
        return None
    return max(0.0, min(seconds, RETRY_AFTER_CAP_S))


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _is_httpx_timeout(exc: BaseException) -> bool:
    import httpx2

    return isinstance(exc, httpx2.TimeoutException)


def _is_httpx_transport(exc: BaseException) -> bool:
    import httpx2

    return isinstance(exc, (httpx2.TransportError, ConnectionError, EOFError))
