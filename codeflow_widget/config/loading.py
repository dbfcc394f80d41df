"""Loading the configuration: find the file, validate everything, read the API key.

``load_settings()`` finds the file (``--config``, ``$CODEFLOW_CONFIG``, then
``./codeflow.json``), validates everything at start-up and raises one ``ConfigError``
that lists every bad field in Chinese (English when asked). No configuration at all
means the offline lesson provider. ``find_api_key`` is the one place that knows where a
key may come from, and in which order; ``write_example`` is ``codeflow init``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from codeflow_widget.config import problems as p
from codeflow_widget.config.settings import FILE_DATA, Settings
from codeflow_widget.model.errors import ConfigError, MissingApiKey
from codeflow_widget.model.messages import message

if TYPE_CHECKING:  # pydantic.types costs a notebook ~0.2 s: loaded when a key is read
    from pydantic import SecretStr

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
    "sandbox": "preferred",
    "allowed_imports": ["pygame"],
    "projects_dir": "projects",
    "log_dir": "logs",
}


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
    lang = p.language_hint(overrides)
    data: dict[str, Any] = {}
    label = str(path) if path else "(environment)"
    if path is not None:
        data = p.read_json(path, lang)
    problems = p.secret_problems(data, lang)
    overrides = {k: v for k, v in overrides.items() if v is not None}
    problems += p.custom_problems(data, overrides, lang)
    problems += p.lock_problems(data, overrides, lang)
    given = dict(overrides)  # before the locked file values join them
    overrides.update({name: data[name] for name in p.locked(data)})
    token = FILE_DATA.set(data)
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        problems += [(p.field_name(err), p.describe(err, lang)) for err in exc.errors()]
        raise ConfigError(label, problems, lang, _sources(problems, given, path)) from None
    finally:
        FILE_DATA.reset(token)
    if settings.api_key_file is not None and not settings.api_key_file.is_file():
        problems.append(
            ("api_key_file", message("config.not_found", lang, path=settings.api_key_file))
        )
    if problems:
        raise ConfigError(label, problems, lang, _sources(problems, given, path))
    return settings


def _sources(problems: p.Problems, given: dict[str, Any], path: Path | None) -> list[str]:
    """Where each problem's value came from, in priority order: args, env, then the file."""

    def source(name: str) -> str | None:
        if name in given:
            return "args"
        if os.environ.get(f"CODEFLOW_{name.upper()}") is not None:
            return "env"
        return "file" if path is not None else None

    found = []
    for field, _ in problems:
        top = field.split(".")[0]
        # a value missing everywhere (custom without a model) belongs to whoever chose it
        where = "file" if top == "(file)" else source(top) or source("provider")
        found.append(where or ("args" if given else "env"))
    return found


def find_api_key(settings: Settings) -> tuple[SecretStr | None, str]:
    """(the key, where it came from) — the one place that knows the lookup order.

    ``CODEFLOW_API_KEY``, then the provider's variable (``api_key_env`` or the preset's,
    e.g. ``MINIMAX_API_KEY``), then the first line of ``api_key_file``. The source names
    the variable to fix in messages (or to set, when there is no key). Raises
    MissingApiKey when a hosted provider has none.
    """
    from pydantic import SecretStr

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


def write_example(path: Path) -> Path:
    """``codeflow init``: write an example config, never overwriting an existing file."""
    if path.exists():
        raise FileExistsError(path)
    path.write_text(
        json.dumps(EXAMPLE_CONFIG, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return path
