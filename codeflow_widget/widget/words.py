"""Every word of the lesson view's chrome, in Chinese and English, sent to the view as ``texts``.

The view (``static/src/*.js``) has no string table of its own: the kernel sends both languages in
the ``texts`` trait, so the language switch relabels everything at once — even in a notebook
reopened without its kernel, because the trait is saved with the widget state. Keys are flat
(``generate``), plus a few small groups (``phases``, ``state``, ``request``, ``pace_names``).
Templates use ``{name}`` placeholders, filled in by the view's ``fmt``. What a phase teaches and
the offline notice are not here: they come with the events (one source of the teaching text).
The words themselves are data in the one message catalogue: ``model/catalogue/ui_words.json``
(flat keys), ``ui_groups.json`` (the groups) and ``ui_changes.json`` (flat keys too: the words of
follow-up wishes, versions and step mode, ``widget/changes.py``'s part of the view).
"""

from __future__ import annotations

from typing import Any

from codeflow_widget.model.messages import groups, table

WORDS: dict[str, tuple[str, str]] = table("ui_words")
CHANGE_WORDS: dict[str, tuple[str, str]] = table("ui_changes")

GROUPS = groups("ui_groups")


def view_texts() -> dict[str, dict[str, Any]]:
    """``{"zh": {...}, "en": {...}}``: the ``texts`` trait (``phaseSub``: a phase's English name)."""
    out: dict[str, dict[str, Any]] = {}
    for index, lang in enumerate(("zh", "en")):
        texts: dict[str, Any] = {
            key: pair[index] for key, pair in (*WORDS.items(), *CHANGE_WORDS.items())
        }
        for group, entries in GROUPS.items():
            texts[group] = {key: pair[index] for key, pair in entries.items()}
        # The Chinese view names each phase in English too (the words a developer meets); the
        # English view stays English.
        texts["phaseSub"] = {
            key: (pair[1] if lang == "zh" else "") for key, pair in GROUPS["phases"].items()
        }
        out[lang] = texts
    return out
