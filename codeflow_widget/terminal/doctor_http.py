"""``codeflow doctor --provider X``: is the key set, and does the endpoint answer?

``check_endpoint(settings)`` resolves the key exactly as a real run would
(``MissingApiKey`` → a message naming the variable to set), then asks the
endpoint for ``GET /models``; servers without that route (404/405) get a
1-token chat completion instead. It measures the round trip and reports in the
learner's language. The key never appears in the result: errors are rendered
from message codes, and any server text is redacted by the provider.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.errors import MissingApiKey, ProviderError

if TYPE_CHECKING:
    from codeflow_widget.config import Settings


@dataclass(frozen=True)
class EndpointCheck:
    ok: bool
    detail: str  # Chinese or English, by settings.language
    round_trip_ms: float = 0.0
    models: list[str] = field(default_factory=list)
    method: str = ""  # "models" | "completion" | "" (nothing was sent)
    error_code: str = ""


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


async def check_endpoint(settings: Settings) -> EndpointCheck:
    lang = settings.language
    if settings.is_offline:
        return EndpointCheck(
            True,
            _t(
                lang,
                "离线示例模式：不需要网络，也不需要 API 密钥。",
                "Offline lesson mode: no network and no API key needed.",
            ),
        )
    from codeflow_widget.flow.lesson import Lesson

    try:
        provider: Any = Lesson(settings).provider  # the same provider a lesson would use
    except MissingApiKey as exc:
        return EndpointCheck(False, exc.message(lang), error_code=exc.code)
    ctx = provider.context()
    method = "models"
    try:
        client = provider.client()  # imports openai: not part of the round trip
        started = time.perf_counter()
        try:
            page = await asyncio.wait_for(client.models.list(), settings.timeout_s)
            models = sorted(
                str(getattr(m, "id", ""))
                for m in (getattr(page, "data", None) or [])
                if getattr(m, "id", None)
            )
        except Exception as exc:  # mapped below
            if _status(exc) not in (404, 405):
                raise
            method = "completion"
            started = time.perf_counter()
            await _one_token(provider, client, settings.timeout_s, ctx)
            models = []
        round_trip_ms = (time.perf_counter() - started) * 1000
    except Exception as exc:  # every failure becomes a message
        error = exc if isinstance(exc, ProviderError) else provider.map_error(exc, ctx)
        return EndpointCheck(False, error.message(lang), method=method, error_code=error.code)
    finally:
        await provider.aclose()
    return EndpointCheck(
        True,
        _success(provider, round_trip_ms, models, lang),
        round(round_trip_ms, 1),
        models,
        method,
    )


async def _one_token(provider: Any, client: Any, timeout_s: float, ctx: dict[str, Any]) -> None:
    kwargs: dict[str, Any] = {
        "model": provider.model,
        "messages": [{"role": "user", "content": "ping"}],
        "max_tokens": 1,
    }
    if provider.extra_body:
        kwargs["extra_body"] = provider.extra_body
    completion = await asyncio.wait_for(client.chat.completions.create(**kwargs), timeout_s)
    extra = getattr(completion, "model_extra", None) or {}
    provider.check_base_resp(extra.get("base_resp"), ctx)


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def _success(provider: Any, round_trip_ms: float, models: list[str], lang: str) -> str:
    ms = f"{round_trip_ms:.0f}"
    text = _t(
        lang,
        f"{provider.label} 连接正常：{provider.base_url}，往返 {ms} 毫秒，模型 {provider.model}。",
        f"{provider.label} answers: {provider.base_url}, round trip {ms} ms, model {provider.model}.",
    )
    if models and provider.model not in models:
        shown = "、".join(models[:8]) if lang != "en" else ", ".join(models[:8])
        text += _t(
            lang,
            f" 注意：模型列表里没有 {provider.model}，请检查模型名。可用的有：{shown}",
            f" Note: {provider.model} is not in the model list; check the name. Available: {shown}",
        )
    return text
