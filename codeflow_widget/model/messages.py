"""Every learner-facing sentence, in Chinese first and English second: the message catalogue.

Messages are looked up by a stable code (``"provider.auth"``) and formatted with
named parameters, so errors and findings can carry a code plus context and be
rendered in whichever language the learner picked — even after the fact, when
the widget's language switch is flipped.

The sentences themselves are data, in ``model/catalogue/``: each ``*.json`` file there maps a
key to ``[Chinese, English]``; ``{name}`` placeholders are filled in by whoever says it. Kept as
data, not code, so a teacher or translator edits sentences without touching Python, and one
catalogue serves the kernel and the view.

``catalogue/codes/``: the tables merged into ``CATALOGUE``, one per part that speaks,
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
``phase_messages`` (here), ``ui_words``/``ui_groups`` and ``ui_changes`` (the view's
chrome, sent as the ``texts`` trait by ``widget/words.py``),
``player`` (the game player's words: ``view`` sent as its ``texts``, ``kernel`` its own
messages, ``widget/player.py``), ``game_session`` (``play/ending.py``), ``play_command``,
``history`` and ``step_prompt`` (the terminal's ``play``, ``history``/``restore`` and ``--step``),
``sandbox`` (``sandbox/messages.py``), ``folder_*`` (``output/folders.py``) and
``prompt_change_*`` (the labels of a change's prompt, ``flow/change_prompts.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

CATALOGUE_DIR = Path(__file__).with_name("catalogue")

# The parts whose codes make up CATALOGUE (a code is defined once: checked by
# tests/test_catalogue.py).
CODE_TABLES = (
    "kernel", "config", "findings", "providers", "view", "change", "change_delivery",
    "checkpoints", "followups", "versions", "patch", "project_names",
)  # fmt: skip


def _read(relative: str) -> dict:
    return json.loads((CATALOGUE_DIR / relative).read_text(encoding="utf-8"))


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


Language = Literal["zh", "en"]

# Every code of every part (model/catalogue/codes/*.json): one catalogue.
CATALOGUE: dict[str, tuple[str, str]] = codes()


def message(code: str, lang: Language = "zh", /, **params: object) -> str:
    """Render the message ``code`` in ``lang``; unknown params are left as written."""
    zh, en = CATALOGUE[code]
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


PHASE_TITLES: dict[str, tuple[str, str]] = table("phase_titles")


def phase_title(phase: str, lang: Language = "zh") -> str:
    zh, en = PHASE_TITLES[phase]
    return en if lang == "en" else zh


# What a developer does in each phase and why — shown when a phase starts.
# The Chinese text is the data model's educational_message (10–200 characters).
PHASE_MESSAGES: dict[str, tuple[str, str]] = table("phase_messages")


def phase_message(phase: str, lang: Language = "zh") -> str:
    zh, en = PHASE_MESSAGES[phase]
    return en if lang == "en" else zh
