"""Any OpenAI-compatible chat endpoint: MiniMax, DeepSeek, OpenAI, Ollama, vLLM, a custom URL.

``OpenAICompatible.stream()`` makes exactly one streaming request per call
(``AsyncOpenAI(max_retries=0)``: the flow owns retries), guards connect, first
byte and every gap between chunks with ``timeout_s``, feeds each delta to the
``ReasoningSplitter`` and turns every way a provider can fail into the error
tree (``errors.py``):

- HTTP 400/422 → ``provider.bad_request``, 401 → ``provider.auth``, 402 →
  ``provider.balance``, 403 → ``provider.forbidden``, 404 → ``provider.not_found``:
  ``ProviderRejected``, never retried.
- 408/409/5xx → ``provider.unavailable``, 429 → ``provider.rate_limited`` (with
  ``retry_after`` from ``Retry-After``, at most 120 s), connection errors →
  ``provider.connection``, timeouts → ``provider.timeout``: ``ProviderTransient``.
- MiniMax reports errors inside HTTP 200 as ``base_resp.status_code`` (as a JSON
  body or an SSE data line): 1004/2049 → auth, 1008 → balance, 2013 → bad
  request; 1000/1001/1002/1024/1033/1039 and unknown codes are transient.
- An ``{"error": …}`` event, a dropped connection or a stream that ends without
  a ``finish_reason`` → ``StreamInterrupted``; a chunk that is not JSON →
  ``provider.bad_chunk``. Any failure after text was already yielded is raised
  as ``StreamInterrupted`` (keeping its specific code), so the flow knows the
  phase's partial text must be thrown away.

Every error carries provider, status, model, base_url and attempt — never the
key. The key stays a ``SecretStr`` until the SDK client is built, and any echo
of it in a server's error text is redacted. ``openai`` is imported lazily:
``import codeflow_widget`` must stay fast.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import os
import time
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import SecretStr

from codeflow_widget.model.errors import (
    ProviderError,
    ProviderRejected,
    ProviderTransient,
    StreamInterrupted,
)
from codeflow_widget.providers.base import Chunk, PhaseCall
from codeflow_widget.providers.reasoning import ReasoningSplitter

if TYPE_CHECKING:
    from codeflow_widget.config import Settings
    from codeflow_widget.model.entities import PhaseType

PLACEHOLDER_KEY = "not-needed"  # local servers (ollama, vllm, custom) that need no key
RETRY_AFTER_CAP_S = 120.0
DETAIL_MAX_CHARS = 200
BASE_RESP_REJECTED = {
    1004: "provider.auth",
    2049: "provider.auth",
    1008: "provider.balance",
    2013: "provider.bad_request",
}
BASE_RESP_RATE_LIMITED = {1002, 1039}
BASE_RESP_TRANSIENT = {1000, 1001, 1002, 1024, 1033, 1039}
STATUS_REJECTED = {
    400: "provider.bad_request",
    401: "provider.auth",
    402: "provider.balance",
    403: "provider.forbidden",
    404: "provider.not_found",
    422: "provider.bad_request",
}


class OpenAICompatible:
    """The provider for every OpenAI-compatible endpoint. Build it with ``from_settings``."""

    offline: ClassVar[bool] = False

    def __init__(
        self,
        *,
        name: str,
        model: str,
        base_url: str,
        api_key: SecretStr | None,
        label: str = "",
        key_env: str = "CODEFLOW_API_KEY",
        extra_body: Mapping[str, Any] | None = None,
        temperature: float = 0.7,
        max_tokens: int = 8192,
        timeout_s: float = 60.0,
    ) -> None:
        self.name = name
        self.model = model
        self.base_url = base_url.rstrip("/")
        self.label = label or name
        self.key_env = key_env
        self.extra_body = dict(extra_body or {})
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_s = timeout_s
        self._api_key = api_key
        self._client: Any = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAICompatible:
        """Resolve the key now (``MissingApiKey`` before any request) and read the preset."""
        from codeflow_widget.config import resolve_api_key

        api_key = resolve_api_key(settings)
        base_url = settings.resolved_base_url
        preset = settings.preset
        label = (
            preset.label
            if settings.provider != "custom"
            else (urlsplit(base_url).netloc or "custom")
        )
        return cls(
            name=settings.provider,
            model=settings.resolved_model,
            base_url=base_url,
            api_key=api_key,
            label=label,
            key_env=_key_source(settings),
            extra_body=preset.extra_body,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout_s=settings.timeout_s,
        )

    def __repr__(self) -> str:
        return f"OpenAICompatible(name={self.name!r}, model={self.model!r}, base_url={self.base_url!r})"

    def educational_message(self, phase: PhaseType, user_input: str, language: str) -> str | None:
        return None  # the flow's own phase messages are used for live models

    # -- the SDK client ------------------------------------------------------------
    def client(self) -> Any:
        """The ``AsyncOpenAI`` client for the running event loop (one per loop, SDK retries off)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            import httpx2
            import openai

            t = self.timeout_s
            self._client = openai.AsyncOpenAI(
                api_key=self._api_key.get_secret_value() if self._api_key else PLACEHOLDER_KEY,
                base_url=self.base_url,
                max_retries=0,
                timeout=httpx2.Timeout(t, connect=t, read=t, write=t, pool=t),
            )
            self._client_loop = loop
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._client_loop is asyncio.get_running_loop():
            await client.close()
        self._client_loop = None

    # -- streaming -------------------------------------------------------------------
    async def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        """Stream one phase: exactly one HTTP request, thinking and content chunks out."""
        ctx = self.context(call.attempt)
        client = self.client()
        request: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": m.role, "content": _utf8(m.content)} for m in call.messages],
            "stream": True,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if self.extra_body:
            request["extra_body"] = self.extra_body
        stream = None
        failure: ProviderError | None = None
        try:
            stream = await asyncio.wait_for(
                client.chat.completions.create(**request), self.timeout_s
            )
        except Exception as exc:
            failure = self.map_error(exc, ctx)
        if failure is not None:
            raise failure  # raised outside the except block: no SDK error (or echoed key) in __context__
        splitter = ReasoningSplitter()
        state = _StreamState()
        try:
            content_type = stream.response.headers.get("content-type", "")
            if "json" in content_type:  # base_resp error or a server that ignored stream=True
                body = await asyncio.wait_for(stream.response.aread(), self.timeout_s)
                for chunk in self._from_json_body(body, splitter, ctx):
                    yield chunk
                return
            while True:
                try:
                    item = await asyncio.wait_for(stream.__anext__(), self.timeout_s)
                except StopAsyncIteration:
                    break
                for chunk in self._chunks(item, splitter, state, ctx):
                    state.yielded = True
                    yield chunk
            if not state.finished:
                raise StreamInterrupted(**ctx, detail="no finish_reason")
            for chunk in splitter.finish():
                yield chunk
        except ProviderError as exc:
            failure = exc
        except Exception as exc:
            failure = self.map_error(exc, ctx, streaming=True)
        finally:
            await _close(stream)
        if failure is not None:
            raise _interrupted(failure) if state.yielded else failure

    def _chunks(
        self, item: Any, splitter: ReasoningSplitter, state: _StreamState, ctx: dict[str, Any]
    ) -> list[Chunk]:
        extra = getattr(item, "model_extra", None) or {}
        self.check_base_resp(extra.get("base_resp"), ctx)
        if isinstance(extra.get("error"), Mapping):
            raise self.error_from_body(extra["error"], ctx)
        choices = getattr(item, "choices", None) or []
        if not choices:
            return []  # a usage-only chunk, or MiniMax's final summary
        choice = choices[0]
        if getattr(choice, "finish_reason", None):
            state.finished = True
        delta = getattr(choice, "delta", None)
        if delta is None:
            return []
        data = delta.model_dump() if hasattr(delta, "model_dump") else dict(delta)
        return splitter.feed(data)

    def _from_json_body(
        self, raw: bytes, splitter: ReasoningSplitter, ctx: dict[str, Any]
    ) -> list[Chunk]:
        try:
            body = json.loads(raw)
        except ValueError:
            raise ProviderTransient(
                "provider.bad_chunk", **ctx, detail="response is not JSON"
            ) from None
        if not isinstance(body, Mapping):
            raise ProviderTransient(
                "provider.bad_chunk", **ctx, detail="response is not a JSON object"
            )
        self.check_base_resp(body.get("base_resp"), ctx)
        if isinstance(body.get("error"), Mapping):
            raise self.error_from_body(body["error"], ctx)
        choices = body.get("choices") or []
        if not choices or not isinstance(choices[0], Mapping):
            raise StreamInterrupted(**ctx, detail="no choices")
        return splitter.feed_message(choices[0].get("message") or choices[0].get("delta") or {})

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
        if not isinstance(base_resp, Mapping):
            return
        try:
            code = int(base_resp.get("status_code") or 0)
        except (TypeError, ValueError):
            return
        if code == 0:
            return
        detail = self.redact(base_resp.get("status_msg") or "")
        if code in BASE_RESP_REJECTED:
            raise ProviderRejected(
                BASE_RESP_REJECTED[code],
                **{**ctx, "status": code},
                env_var=self.key_env,
                detail=detail,
            )
        message = (
            "provider.rate_limited" if code in BASE_RESP_RATE_LIMITED else "provider.unavailable"
        )
        raise ProviderTransient(message, **{**ctx, "status": code}, detail=detail)

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
        if number in BASE_RESP_REJECTED:
            return ProviderRejected(
                BASE_RESP_REJECTED[number],
                **{**ctx, "status": number},
                env_var=self.key_env,
                detail=detail,
            )
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


class _StreamState:
    __slots__ = ("finished", "yielded")

    def __init__(self) -> None:
        self.finished = False
        self.yielded = False


def _interrupted(error: ProviderError) -> ProviderError:
    """Partial text was already yielded: make it a StreamInterrupted (same code) unless rejected."""
    if isinstance(error, (StreamInterrupted, ProviderRejected)):
        return error
    return StreamInterrupted(error.code, retry_after=error.retry_after, **error.params)


async def _close(stream: Any) -> None:
    try:
        await stream.close()
    except Exception:  # closing a broken connection must not hide the real error
        pass


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


def _utf8(text: str) -> str:
    """Text that can go on the wire: a lone surrogate (from an earlier answer) becomes "?".

    Without this the request body cannot be encoded, and a local problem would be
    reported — and retried, and counted by the breaker — as the provider's fault.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _key_source(settings: Settings) -> str:
    """The environment variable the key came from (or should go in), for messages."""
    if os.environ.get("CODEFLOW_API_KEY", "").strip():
        return "CODEFLOW_API_KEY"
    if settings.key_env and os.environ.get(settings.key_env, "").strip():
        return settings.key_env
    if settings.api_key_file is not None:
        return f"api_key_file ({settings.api_key_file})"
    return settings.key_env or "CODEFLOW_API_KEY"


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _is_httpx_timeout(exc: BaseException) -> bool:
    import httpx2

    return isinstance(exc, httpx2.TimeoutException)


def _is_httpx_transport(exc: BaseException) -> bool:
    import httpx2

    return isinstance(exc, (httpx2.TransportError, ConnectionError, EOFError))
