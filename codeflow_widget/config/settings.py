"""The settings of a lesson: every field, its limits, and where a value may come from.

``Settings`` is a plain pydantic model. A value comes from the explicit arguments, else the
environment (``CODEFLOW_<FIELD>``, names case-insensitive, list fields as JSON), else the
parsed ``codeflow.json`` that ``loading.load_settings`` hands over in ``FILE_DATA``, else the
default. ``PRESETS`` name each hosted or local provider's URL, model and key variable. API keys
are never settings: ``loading.find_api_key`` reads them when a provider is built.
"""

from __future__ import annotations

import json
import os
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from codeflow_widget.model.rules import APPROVED_DEPENDENCIES

ProviderName = Literal[
    "offline", "minimax", "minimax-cn", "deepseek", "openai", "ollama", "vllm", "custom"
]


@dataclass(frozen=True)
class Preset:
    base_url: str
    model: str
    key_env: str | None  # None: a local server that needs no key
    extra_body: dict | None = None
    label: str = ""


PRESETS: dict[str, Preset] = {
    "minimax": Preset(
        "https://api.minimax.io/v1",
        "MiniMax-M2.7",
        "MINIMAX_API_KEY",
        {"reasoning_split": True},
        "MiniMax",
    ),
    "minimax-cn": Preset(
        "https://api.minimaxi.com/v1",
        "MiniMax-M2.7",
        "MINIMAX_API_KEY",
        {"reasoning_split": True},
        "MiniMax (中国)",
    ),
    "deepseek": Preset(
        "https://api.deepseek.com", "deepseek-reasoner", "DEEPSEEK_API_KEY", None, "DeepSeek"
    ),
    "openai": Preset("https://api.openai.com/v1", "gpt-4.1-mini", "OPENAI_API_KEY", None, "OpenAI"),
    "ollama": Preset("http://localhost:11434/v1", "qwen3:8b", None, None, "Ollama"),
    "vllm": Preset("http://localhost:8000/v1", "Qwen/Qwen3-8B", None, None, "vLLM"),
    "custom": Preset("", "", None, None, "custom"),
}
MINIMAX_MODELS = (
    "MiniMax-M2",
    "MiniMax-M2.1",
    "MiniMax-M2.5",
    "MiniMax-M2.7",
    "MiniMax-M2.7-highspeed",
)
LOCKABLE = {
    "provider",
    "model",
    "base_url",
    "language",
    "allowed_imports",
    "timeout_s",
    "max_retries",
    "lessons_dir",
    "projects_dir",
    "log_dir",
    "sandbox",
}


class Settings(BaseModel):
    """Validated configuration. Field names are the keys of codeflow.json.

    Like pydantic-settings (which it replaced: it cost a notebook ~0.4 s to import), each
    value comes from the explicit arguments, else ``CODEFLOW_<FIELD>``, else the parsed
    codeflow.json that ``load_settings`` hands over, else the default.
    """

    model_config = ConfigDict(extra="forbid", validate_default=True)

    provider: ProviderName = "offline"
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = Field(
        default=None, description="name of the environment variable holding the key"
    )
    api_key_file: Path | None = Field(
        default=None, description="a file whose first line is the key"
    )
    language: Literal["zh", "en"] = "zh"
    timeout_s: float = Field(default=60.0, gt=0, le=600)
    breaker_threshold: int = Field(default=3, ge=1, le=20)
    breaker_cooldown_s: float = Field(default=120.0, gt=0, le=3600)
    max_retries: int = Field(default=3, ge=0, le=3)
    backoff_s: float = Field(default=1.0, ge=0, le=60)
    temperature: float = Field(default=0.7, gt=0, le=1)
    max_tokens: int = Field(default=8192, ge=256, le=65536)
    # The teaching pace: how fast the lesson view reveals text to a reader (widget/pacing.py).
    pace: Literal["slow", "normal", "fast", "instant"] = "normal"
    # How long the offline lessons wait between pieces, as a factor of a hosted model's delays.
    # It used to be called ``offline_pace``, where a larger number meant *slower*; that name
    # still works (deprecated) and is kept equal to this one for older readers.
    offline_delay: float = Field(
        default=1.0, ge=0, le=100, description="1 = a hosted model's delays, 0 = none"
    )
    offline_pace: float | None = Field(
        default=None, ge=0, le=100, description="deprecated: use offline_delay"
    )
    smoke_timeout_s: float = Field(default=5.0, gt=0, le=120)
    # How generated code is contained (sandbox/): "preferred" uses the best mechanism here and
    # says 未隔离：原因… when none works; "required" refuses to run the code then (a class server).
    sandbox: Literal["required", "preferred"] = "preferred"
    allowed_imports: list[str] = Field(default_factory=lambda: ["pygame"])
    keep_failed_projects: bool = True
    step_mode: bool = False  # pause after Specify and Plan for the learner to read, edit or redo
    lessons_dir: Path | None = Field(
        default=None, description="a folder of extra offline lessons (teachers)"
    )
    # A lambda, not `list`: pydantic inspects a factory's signature, and a builtin's is parsed
    # from its text by tokenize: 1.8 against 0.4 ms to build a one-field model here.
    lock: list[str] = Field(
        default_factory=lambda: [], description="file settings nothing may override"
    )
    projects_dir: Path = Path("projects")
    log_dir: Path = Path("logs")

    @model_validator(mode="after")
    def _offline_pace_is_offline_delay(self) -> Settings:
        """The old name wins when it was given (it was the only name), with a deprecation note."""
        if self.offline_pace is None:
            self.offline_pace = self.offline_delay
        elif self.offline_pace != self.offline_delay:
            import warnings

            warnings.warn(
                "offline_pace is deprecated (a larger number meant slower): use offline_delay "
                "for the offline lessons' delays, or pace (slow/normal/fast/instant) for the "
                "lesson view's reading pace.",
                DeprecationWarning,
                stacklevel=2,
            )
            self.offline_delay = self.offline_pace
        return self

    @field_validator("allowed_imports")
    @classmethod
    def _approved_or_stdlib(cls, value: list[str]) -> list[str]:
        # The data model approves pygame only; a class may narrow the list, not widen it.
        unknown = [
            name
            for name in value
            if name not in APPROVED_DEPENDENCIES and name not in sys.stdlib_module_names
        ]
        if unknown:
            raise ValueError(
                f"only pygame and standard-library modules may be allowed: {', '.join(unknown)}"
            )
        return value

    @field_validator("lock")
    @classmethod
    def _lockable(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in LOCKABLE]
        if unknown:
            raise ValueError(f"cannot lock: {', '.join(unknown)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("base_url must start with http:// or https://")
        return value.rstrip("/") if value else value

    @model_validator(mode="before")
    @classmethod
    def _sources(cls, data: Any) -> Any:
        """Explicit arguments > ``CODEFLOW_<FIELD>`` > codeflow.json (> the defaults)."""
        if not isinstance(data, dict):
            return data
        return {**(FILE_DATA.get() or {}), **environment(cls.model_fields), **data}

    # -- derived ---------------------------------------------------------------
    @property
    def preset(self) -> Preset:
        return PRESETS.get(self.provider, PRESETS["custom"])

    @property
    def resolved_model(self) -> str:
        return self.model or self.preset.model

    @property
    def resolved_base_url(self) -> str:
        return self.base_url or self.preset.base_url

    @property
    def key_env(self) -> str | None:
        return self.api_key_env or self.preset.key_env

    @property
    def is_offline(self) -> bool:
        return self.provider == "offline"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "system_trace.jsonl"


FILE_DATA: ContextVar[dict[str, Any] | None] = ContextVar("codeflow_file_data", default=None)


def environment(fields: dict[str, Any]) -> dict[str, Any]:
    """The ``CODEFLOW_<FIELD>`` values that are set; a list field's value is read as JSON."""
    upper = {name.upper(): value for name, value in os.environ.items()}
    found: dict[str, Any] = {}
    for name, info in fields.items():
        raw = upper.get(f"CODEFLOW_{name.upper()}")
        if raw is None:
            continue
        if get_origin(info.annotation) is list:
            try:
                raw = json.loads(raw)
            except ValueError:
                pass  # reported by validation as "must be a list"
        found[name] = raw
    return found
