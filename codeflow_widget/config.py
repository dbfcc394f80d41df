"""Configuration: defaults < codeflow.json < environment < explicit arguments.

``load_settings()`` finds the file (``--config``, ``$CODEFLOW_CONFIG``, then
``./codeflow.json``), validates everything at start-up and raises one
``ConfigError`` that lists every bad field in Chinese (English when asked). No
configuration at all means the offline lesson provider. API keys are never part
of ``Settings``: ``resolve_api_key()`` reads them from the environment (or from a
key file the config names) at the moment a provider is built.
"""

from __future__ import annotations

import json
import os
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from codeflow_widget.model.entities import APPROVED_DEPENDENCIES
from codeflow_widget.model.errors import ConfigError, MissingApiKey
from codeflow_widget.model.messages import Language, message

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
}
SECRET_FIELD_NAMES = {"api_key", "apikey", "key", "token", "secret", "authorization", "password"}


class Settings(BaseSettings):
    """Validated configuration. Field names are the keys of codeflow.json."""

    model_config = SettingsConfigDict(env_prefix="CODEFLOW_", extra="forbid", validate_default=True)

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
    allowed_imports: list[str] = Field(default_factory=lambda: ["pygame"])
    keep_failed_projects: bool = True
    lessons_dir: Path | None = Field(
        default=None, description="a folder of extra offline lessons (teachers)"
    )
    lock: list[str] = Field(default_factory=list, description="file settings nothing may override")
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

    @classmethod
    def settings_customise_sources(
        cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings
    ):
        return (init_settings, env_settings, _FileSource(settings_cls))

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


_FILE_DATA: ContextVar[dict[str, Any] | None] = ContextVar("codeflow_file_data", default=None)


class _FileSource(PydanticBaseSettingsSource):
    """The lowest-priority source: the already-parsed codeflow.json."""

    def get_field_value(self, field, field_name):  # pragma: no cover - unused by __call__
        return (_FILE_DATA.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_FILE_DATA.get() or {})


def find_config(explicit: str | Path | None = None) -> Path | None:
    if explicit:
        return Path(explicit)
    if os.environ.get("CODEFLOW_CONFIG"):
        return Path(os.environ["CODEFLOW_CONFIG"])
    local = Path("codeflow.json")
    return local if local.exists() else None


def load_settings(config: str | Path | None = None, **overrides: Any) -> Settings:
    """Validate the whole configuration now, or raise ConfigError listing every problem."""
    path = find_config(config)
    lang = _language_hint(overrides)
    data: dict[str, Any] = {}
    label = str(path) if path else "(environment)"
    if path is not None:
        data = _read_json(path, lang)
    problems = _secret_problems(data, lang)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    problems += _custom_problems(data, overrides, lang)
    problems += _lock_problems(data, overrides, lang)
    overrides.update({name: data[name] for name in _locked(data)})
    token = _FILE_DATA.set(data)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems += [(_field_name(err), _describe(err, lang)) for err in exc.errors()]
        raise ConfigError(label, problems, lang) from None
    finally:
        _FILE_DATA.reset(token)
    if settings.api_key_file is not None and not settings.api_key_file.is_file():
        problems.append(
            ("api_key_file", message("config.not_found", lang, path=settings.api_key_file))
        )
    if problems:
        raise ConfigError(label, problems, lang)
    return settings


def find_api_key(settings: Settings) -> tuple[SecretStr | None, str]:
    """(the key, where it came from) — the one place that knows the lookup order.

    ``CODEFLOW_API_KEY``, then the provider's variable (``api_key_env`` or the preset's,
    e.g. ``MINIMAX_API_KEY``), then the first line of ``api_key_file``. The source names
    the variable to fix in messages (or to set, when there is no key). Raises
    MissingApiKey when a hosted provider has none.
    """
    for name in ("CODEFLOW_API_KEY", settings.key_env):
        if name and os.environ.get(name, "").strip():
            return SecretStr(os.environ[name].strip()), name
    if settings.api_key_file is not None:
        text = settings.api_key_file.read_text(encoding="utf-8").strip().splitlines()
        if text and text[0].strip():
            return SecretStr(text[0].strip()), f"api_key_file ({settings.api_key_file})"
    if settings.preset.key_env and settings.provider not in ("custom", "ollama", "vllm"):
        raise MissingApiKey(
            env_var=settings.key_env, provider=settings.preset.label or settings.provider
        )
    return None, settings.key_env or "CODEFLOW_API_KEY"


def resolve_api_key(settings: Settings) -> SecretStr | None:
    """The key for the configured provider (``find_api_key`` without its source)."""
    return find_api_key(settings)[0]


EXAMPLE_CONFIG: dict[str, Any] = {
    "provider": "offline",
    "language": "zh",
    "timeout_s": 60,
    "breaker_threshold": 3,
    "breaker_cooldown_s": 120,
    "max_retries": 3,
    "pace": "normal",
    "offline_delay": 1.0,
    "smoke_timeout_s": 5,
    "allowed_imports": ["pygame"],
    "projects_dir": "projects",
    "log_dir": "logs",
}


def write_example(path: Path) -> Path:
    """``codeflow init``: write an example config, never overwriting an existing file."""
    if path.exists():
        raise FileExistsError(path)
    path.write_text(
        json.dumps(EXAMPLE_CONFIG, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path


# -- helpers ---------------------------------------------------------------------
def _t(lang: Language, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _language_hint(overrides: dict[str, Any]) -> Language:
    lang = overrides.get("language") or os.environ.get("CODEFLOW_LANGUAGE") or "zh"
    return "en" if lang == "en" else "zh"


def _read_json(path: Path, lang: Language) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(
            str(path), [("(file)", message("config.not_found", lang, path=path))], lang
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(
            str(path), [("(file)", _t(lang, "文件不是 UTF-8 编码", "the file is not UTF-8"))], lang
        ) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            str(path),
            [
                (
                    "(file)",
                    message(
                        "config.bad_json", lang, line=exc.lineno, col=exc.colno, detail=exc.msg
                    ),
                )
            ],
            lang,
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            str(path),
            [
                (
                    "(file)",
                    _t(
                        lang,
                        "最外层必须是一个 JSON 对象 {…}",
                        "the top level must be a JSON object {…}",
                    ),
                )
            ],
            lang,
        )
    return data


def _secret_problems(data: dict[str, Any], lang: Language) -> list[tuple[str, str]]:
    """A key written into codeflow.json is refused (and never echoed back)."""
    problems = []
    for name in list(data):
        if name.lower().replace("-", "_") in SECRET_FIELD_NAMES:
            data.pop(name)
            provider = data.get("provider")
            preset = PRESETS.get(provider) if isinstance(provider, str) else None
            env_var = (preset or PRESETS["minimax"]).key_env or "CODEFLOW_API_KEY"
            problems.append((name, message("config.key_in_file", lang, env_var=env_var)))
    return problems


def _custom_problems(
    data: dict[str, Any], overrides: dict[str, Any], lang: Language
) -> list[tuple[str, str]]:
    """``provider: custom`` needs a base URL and a model; reported with every other problem."""

    def raw(name: str) -> Any:
        return _above_file(name, overrides) or data.get(name)

    if raw("provider") != "custom":
        return []
    return [
        (name, _t(lang, f"provider 为 custom 时必须设置 {name}", f"provider custom needs {name}"))
        for name in ("base_url", "model")
        if not raw(name)
    ]


def _above_file(name: str, overrides: dict[str, Any]) -> Any:
    """The value an explicit argument or ``CODEFLOW_<NAME>`` gives, before validation."""
    value = overrides.get(name)
    return value if value is not None else os.environ.get(f"CODEFLOW_{name.upper()}")


def _locked(data: dict[str, Any]) -> list[str]:
    """The lockable names the file both lists under ``lock`` and sets."""
    locked = data.get("lock") if isinstance(data.get("lock"), list) else []
    return [name for name in locked if name in LOCKABLE and name in data]


def _lock_problems(
    data: dict[str, Any], overrides: dict[str, Any], lang: Language
) -> list[tuple[str, str]]:
    """A teacher's ``"lock": [...]`` keeps those file values; a different value elsewhere is an error."""
    problems = []
    for name in _locked(data):
        wanted = _above_file(name, overrides)
        if wanted is not None and str(wanted) != str(data[name]):
            problems.append(
                (
                    name,
                    _t(
                        lang,
                        f"老师已锁定这个设置（{data[name]}），不能改成 {wanted}",
                        f"locked by the teacher ({data[name]}); cannot change it to {wanted}",
                    ),
                )
            )
    return problems


def _field_name(err: dict[str, Any]) -> str:
    return ".".join(str(part) for part in err.get("loc", ())) or "(file)"


_ERROR_TEXT: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("未知的配置项（拼写错了吗？）", "unknown setting (a typo?)"),
    "literal_error": (
        "取值不在允许范围内：{expected}",
        "not one of the allowed values: {expected}",
    ),
    "greater_than": ("必须大于 {gt}", "must be greater than {gt}"),
    "greater_than_equal": ("必须大于或等于 {ge}", "must be at least {ge}"),
    "less_than_equal": ("必须小于或等于 {le}", "must be at most {le}"),
    "float_parsing": ("必须是数字", "must be a number"),
    "float_type": ("必须是数字", "must be a number"),
    "int_parsing": ("必须是整数", "must be a whole number"),
    "int_type": ("必须是整数", "must be a whole number"),
    "int_from_float": ("必须是整数", "must be a whole number"),
    "bool_parsing": ("必须是 true 或 false", "must be true or false"),
    "bool_type": ("必须是 true 或 false", "must be true or false"),
    "string_type": ("必须是文字（字符串）", "must be text (a string)"),
    "list_type": ("必须是列表 […]", "must be a list […]"),
    "path_type": ("必须是路径（字符串）", "must be a path (a string)"),
}


_VALUE_ERRORS: dict[str, tuple[str, str]] = {
    "base_url": ("必须以 http:// 或 https:// 开头", "must start with http:// or https://"),
    "allowed_imports": (
        "只能是 pygame 或 Python 标准库模块，不认识：{detail}",
        "only pygame or standard-library modules, not: {detail}",
    ),
    "lock": (
        "只能锁定这些设置：" + "、".join(sorted(LOCKABLE)) + "；不认识：{detail}",
        "only these can be locked: " + ", ".join(sorted(LOCKABLE)) + "; unknown: {detail}",
    ),
}


def _describe(err: dict[str, Any], lang: Language) -> str:
    zh_en = _ERROR_TEXT.get(err.get("type", ""))
    ctx = {k: v for k, v in (err.get("ctx") or {}).items()}
    loc = tuple(err.get("loc", ()))
    if err.get("type") == "value_error" and loc[:1] and loc[0] in _VALUE_ERRORS:
        detail = str(err.get("msg", "")).rpartition(": ")[2]
        return _t(lang, *_VALUE_ERRORS[loc[0]]).format(detail=detail)
    if zh_en is None:
        return _t(lang, "取值无效：", "invalid value: ") + str(err.get("msg", ""))
    try:
        return _t(lang, *zh_en).format(**ctx)
    except (KeyError, IndexError):
        return _t(lang, *zh_en)
