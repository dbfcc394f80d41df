"""Any OpenAI-compatible chat endpoint: MiniMax, DeepSeek, OpenAI, Ollama, vLLM, a custom URL.

``OpenAICompatible.stream()`` makes exactly one streaming request per call
(``AsyncOpenAI(max_retries=0)``: the flow owns retries), guards connect, first
byte and every gap between chunks with ``timeout_s``, feeds each delta to the
``ReasoningSplitter`` and turns every way a provider can fail into the error
tree (``http_errors.py``; MiniMax's errors inside HTTP 200 in ``minimax.py``).
A stream that drops, or ends without a ``finish_reason``, is ``StreamInterrupted``;
any failure after text was already yielded is raised as ``StreamInterrupted``
(keeping its specific code), so the flow knows the phase's partial text must go.

The key stays a ``SecretStr`` until the SDK client is built, and any echo of it in a
server's error text is redacted. ``openai`` is imported lazily: ``import
codeflow_widget`` must stay fast.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import SecretStr

from codeflow_widget.model.errors import ProviderError, ProviderTransient, StreamInterrupted
from codeflow_widget.providers.base import Chunk, PhaseCall
from codeflow_widget.providers.http_errors import (
    ProviderFailures,
    interrupted,
    retry_after_seconds,
)
from codeflow_widget.providers.reasoning import ReasoningSplitter
from codeflow_widget.providers.stall_watch import StallWatch

if TYPE_CHECKING:
    from codeflow_widget.config import Settings

__all__ = ["OpenAICompatible", "retry_after_seconds"]

PLACEHOLDER_KEY = "not-needed"  # local servers (ollama, vllm, custom) that need no key


class OpenAICompatible(ProviderFailures):
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
        from codeflow_widget.config import find_api_key

        api_key, key_source = find_api_key(settings)
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
            key_env=key_source,
            extra_body=preset.extra_body,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            timeout_s=settings.timeout_s,
        )

    def __repr__(self) -> str:
        return f"OpenAICompatible(name={self.name!r}, model={self.model!r}, base_url={self.base_url!r})"

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
        watch = StallWatch(self.timeout_s)  # each read within timeout_s, no timer per delta
        try:
            content_type = stream.response.headers.get("content-type", "")
            if "json" in content_type:  # base_resp error or a server that ignored stream=True
                body = await asyncio.wait_for(stream.response.aread(), self.timeout_s)
                for chunk in self._from_json_body(body, splitter, ctx):
                    yield chunk
                return
            while True:
                try:
                    item = await watch.read(stream.__anext__())
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
            watch.close()
            await _close(stream)
        if failure is not None:
            raise interrupted(failure) if state.yielded else failure

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
        # The splitter reads the content and the reasoning fields (extras in the SDK's model):
        # a dict of those is a tenth of the cost of model_dump() per delta.
        extras = getattr(delta, "model_extra", None)
        if extras is None and not hasattr(delta, "content"):
            return splitter.feed(dict(delta))
        return splitter.feed({**(extras or {}), "content": getattr(delta, "content", None)})

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


class _StreamState:
    __slots__ = ("finished", "yielded")

    def __init__(self) -> None:
        self.finished = False
        self.yielded = False


async def _close(stream: Any) -> None:
    try:
        await stream.close()
    except Exception:  # closing a broken connection must not hide the real error
        pass


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
