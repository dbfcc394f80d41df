"""The message catalogue is data: every table is a file of [Chinese, English] pairs, and a code
is defined once."""

from __future__ import annotations

import json

import pytest

from codeflow_widget.model import messages as catalogue
from codeflow_widget.model.messages import CATALOGUE

HERE = catalogue.CATALOGUE_DIR
FILES = sorted(HERE.rglob("*.json"))
GROUPED = {"ui_groups", "player", "history"}  # {group: {key: [zh, en]}}


def test_every_table_holds_a_chinese_and_an_english_sentence_for_each_key():
    assert len(FILES) == 28
    for path in FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        pairs = (
            [v for group in data.values() for v in group.values()]
            if path.stem in GROUPED
            else list(data.values())
        )
        assert pairs, path
        for pair in pairs:
            assert len(pair) == 2 and all(isinstance(s, str) and s.strip() for s in pair), (
                path,
                pair,
            )


def test_the_catalogue_is_every_code_of_codes():
    codes = {
        c
        for name in catalogue.CODE_TABLES
        for c in json.loads((HERE / "codes" / f"{name}.json").read_text("utf-8"))
    }
    assert set(CATALOGUE) == codes
    assert {p.stem for p in (HERE / "codes").glob("*.json")} == set(catalogue.CODE_TABLES)


def test_a_code_defined_twice_is_refused(monkeypatch):
    monkeypatch.setattr(catalogue, "CODE_TABLES", ("kernel", "view", "kernel"))
    with pytest.raises(ValueError, match="request.empty"):
        catalogue.codes()


def test_the_views_word_tables_share_no_key():
    """The lesson view's ``texts`` is ui_words, ui_groups' group names and ui_changes in one
    dict: a key in two of them would silently take the later table's words."""
    from codeflow_widget.widget import words

    flat = [set(words.WORDS), set(words.CHANGE_WORDS), set(words.GROUPS), {"phaseSub"}]
    assert sum(map(len, flat)) == len(set().union(*flat))
    assert set(words.view_texts()["en"]) == set().union(*flat)
