"""The message catalogue: every learner-facing sentence of the package, as data.

Each ``*.json`` file maps a key to ``[Chinese, English]``; ``{name}`` placeholders are filled
in by whoever says it. Kept as data, not code, so a teacher or translator edits sentences
without touching Python, and one catalogue serves the kernel and the view.

``codes/``: the tables merged into ``model.messages.CATALOGUE``, one per part that speaks,
looked up by code with ``message(code, lang, **params)``:

- ``kernel``: the request, its phases and status, the offline lessons, the trial run;
- ``config``: what is wrong with a configuration (shown by ``config/problems.py`` under
  "配置文件 … 有 N 个问题："); ``config.error.<type>`` are pydantic's error types said plainly,
  ``config.value.<field>`` the fields with a validator of their own;
- ``findings``: ``finding.<key>`` says what a validation finding is, ``finding.<key>.fix`` how
  to fix it; ``validate.*`` are the one-line summaries of a check;
- ``providers``: ``provider.*`` final failures, ``retry.*`` the notes while the flow retries,
  ``correction.*`` the one corrective retry, ``breaker.*`` the paused provider;
- ``view``: the lesson view's refusals and notes (``view.*``) and the comments of the cells
  that 插入运行单元 inserts (``cells.*``);
- ``change``, ``change_delivery``, ``checkpoints``, ``followups``, ``versions``, ``patch``,
  ``project_names``: follow-up wishes, step-by-step checkpoints, a project's versions.

Named tables, read by one module each with ``table(name)``: ``phase_titles`` and
``phase_messages`` (``model.messages``), ``ui_words``/``ui_groups`` and ``ui_changes`` (the view's
chrome, sent as the ``texts`` trait by ``widget/words.py`` and ``widget/changes.py``),
``player`` (the game player's words: ``view`` sent as its ``texts``, ``kernel`` its own
messages, ``widget/player.py``), ``game_session`` (``play/ending.py``), ``play_command``,
``history`` and ``step_prompt`` (the terminal's ``play``, ``history``/``restore`` and ``--step``),
``sandbox`` (``sandbox/messages.py``), ``folder_*`` (``output/folders.py``) and
``prompt_change_*`` (the labels of a change's prompt, ``flow/change_prompts.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

_HERE = Path(__file__).parent

# The parts whose codes make up model.messages.CATALOGUE (a code is defined once: checked by
# tests/test_catalogue.py).
CODE_TABLES = (
    "kernel", "config", "findings", "providers", "view", "change", "change_delivery",
    "checkpoints", "followups", "versions", "patch", "project_names",
)  # fmt: skip


def _read(relative: str) -> dict:
    return json.loads((_HERE / relative).read_text(encoding="utf-8"))


def table(name: str) -> dict[str, tuple[str, str]]:
    """The table ``name.json`` (``codes/<part>`` for one part's codes): ``{key: (zh, en)}``."""
    return {key: (zh, en) for key, (zh, en) in _read(f"{name}.json").items()}


def groups(name: str) -> dict[str, dict[str, tuple[str, str]]]:
    """A table of small groups, ``{group: {key: (zh, en)}}``."""
    return {
        g: {k: (zh, en) for k, (zh, en) in entries.items()}
        for g, entries in _read(f"{name}.json").items()
    }


def by_language(pairs: dict[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """``{key: (zh, en)}`` → ``{"zh": {key: zh}, "en": {key: en}}``, for a module that looks its
    words up by language first (``WORDS[lang][key]``)."""
    return {
        lang: {key: pair[i] for key, pair in pairs.items()} for i, lang in enumerate(("zh", "en"))
    }


def codes() -> dict[str, tuple[str, str]]:
    """Every code of ``codes/``, one dict; a code defined twice is an error."""
    out: dict[str, tuple[str, str]] = {}
    for part in CODE_TABLES:
        for code, (zh, en) in _read(f"codes/{part}.json").items():
            if code in out:
                raise ValueError(f"message code {code!r} is defined twice (codes/{part}.json)")
            out[code] = (zh, en)
    return out
