"""What is wrong with a configuration, field by field, in the learner's language.

``load_settings`` collects every problem before it gives up, so a teacher fixing
``codeflow.json`` sees them all at once: a file that is missing, not UTF-8, not JSON or
not an object; an API key written into the file (refused and never echoed back);
``provider: custom`` without a URL or model; a value the teacher locked; and each
validation error, said plainly (``describe``). The sentences are the catalogue's
``config.*`` messages.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from codeflow_widget.config.settings import LOCKABLE, PRESETS
from codeflow_widget.model.errors import ConfigError
from codeflow_widget.model.messages import CATALOGUE as MESSAGES
from codeflow_widget.model.messages import Language, message

Problems = list[tuple[str, str]]
SECRET_FIELD_NAMES = {"api_key", "apikey", "key", "token", "secret", "authorization", "password"}


def language_hint(overrides: dict[str, Any]) -> Language:
    """The language to report problems in, before the settings themselves are valid."""
    lang = overrides.get("language") or os.environ.get("CODEFLOW_LANGUAGE") or "zh"
    return "en" if lang == "en" else "zh"


def read_json(path: Path, lang: Language) -> dict[str, Any]:
    """The parsed file, or ConfigError saying why it cannot be read."""

    def refuse(code: str, **params: Any) -> ConfigError:
        return ConfigError(str(path), [("(file)", message(code, lang, **params))], lang)

    if not path.is_file():
        raise refuse("config.not_found", path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise refuse("config.not_utf8") from None
    except json.JSONDecodeError as exc:
        raise refuse("config.bad_json", line=exc.lineno, col=exc.colno, detail=exc.msg) from None
    if not isinstance(data, dict):
        raise refuse("config.not_object")
    return data


def secret_problems(data: dict[str, Any], lang: Language) -> Problems:
    """A key written into codeflow.json is refused (and removed, so it is never echoed back)."""
    problems = []
    for name in list(data):
        if name.lower().replace("-", "_") in SECRET_FIELD_NAMES:
            data.pop(name)
            provider = data.get("provider")
            preset = PRESETS.get(provider) if isinstance(provider, str) else None
            env_var = (preset or PRESETS["minimax"]).key_env or "CODEFLOW_API_KEY"
            problems.append((name, message("config.key_in_file", lang, env_var=env_var)))
    return problems


def custom_problems(data: dict[str, Any], overrides: dict[str, Any], lang: Language) -> Problems:
    """``provider: custom`` needs a base URL and a model; reported with every other problem."""

    def raw(name: str) -> Any:
        return above_file(name, overrides) or data.get(name)

    if raw("provider") != "custom":
        return []
    return [
        (name, message("config.custom_needs", lang, name=name))
        for name in ("base_url", "model")
        if not raw(name)
    ]


def above_file(name: str, overrides: dict[str, Any]) -> Any:
    """The value an explicit argument or ``CODEFLOW_<NAME>`` gives, before validation."""
    value = overrides.get(name)
    return value if value is not None else os.environ.get(f"CODEFLOW_{name.upper()}")


def locked(data: dict[str, Any]) -> list[str]:
    """The lockable names the file both lists under ``lock`` and sets."""
    names = data.get("lock") if isinstance(data.get("lock"), list) else []
    return [name for name in names if name in LOCKABLE and name in data]


def lock_problems(data: dict[str, Any], overrides: dict[str, Any], lang: Language) -> Problems:
    """A teacher's ``"lock": [...]`` keeps those file values; a different value elsewhere is an error."""
    problems = []
    for name in locked(data):
        wanted = above_file(name, overrides)
        if wanted is not None and str(wanted) != str(data[name]):
            problems.append((name, message("config.locked", lang, value=data[name], wanted=wanted)))
    return problems


def field_name(err: dict[str, Any]) -> str:
    return ".".join(str(part) for part in err.get("loc", ())) or "(file)"


def describe(err: dict[str, Any], lang: Language) -> str:
    """One pydantic validation error as a plain sentence."""
    loc = tuple(err.get("loc", ()))
    if err.get("type") == "value_error" and loc[:1] and f"config.value.{loc[0]}" in MESSAGES:
        detail = str(err.get("msg", "")).rpartition(": ")[2]
        lockable = sorted(LOCKABLE)
        return message(
            f"config.value.{loc[0]}", lang, detail=detail,
            lockable_zh="、".join(lockable), lockable_en=", ".join(lockable),
        )  # fmt: skip
    code = f"config.error.{err.get('type', '')}"
    if code not in MESSAGES:
        return message("config.invalid_value", lang, detail=str(err.get("msg", "")))
    return message(code, lang, **dict(err.get("ctx") or {}))
