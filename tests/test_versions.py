"""Versions on disk: snapshots, hand edits as "我的修改", byte-exact restore, atomic failure."""

from __future__ import annotations

import json

import pytest

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.output import versions
from codeflow_widget.output.versions import ProjectHistory

RAW = bytes(range(256))  # not text at all: a restore must still give back these bytes
MAIN = b"# -*- coding: utf-8 -*-\r\nprint('\xe4\xbd\xa0\xe5\xa5\xbd')  \r\n\tx = 1\n"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "snake_20261201_120000_abcdef"
    root.mkdir()
    (root / "main.py").write_bytes(MAIN)
    (root / "spec.md").write_text("# 贪吃蛇\n\n1. 蛇会动\n", encoding="utf-8")
    (root / "level.dat").write_bytes(RAW)
    (root / "project.json").write_text(
        json.dumps({"project_type": "snake", "smoke_run": {"ok": True, "outcome": "exited"}}),
        encoding="utf-8",
    )
    return root


def test_first_version_is_taken_from_the_files_as_they_are(project):
    history = ProjectHistory(project)
    first = history.ensure("帮我写个贪吃蛇")
    assert (first.n, first.kind, first.wish) == (1, "wish", "帮我写个贪吃蛇")
    assert first.files_changed == ["level.dat", "main.py", "spec.md"]
    assert (project / ".versions" / "1" / "main.py").read_bytes() == MAIN
    meta = json.loads((project / "project.json").read_text(encoding="utf-8"))
    assert meta["versions"][0]["n"] == 1 and meta["project_type"] == "snake"
    assert history.ensure("again").n == 1  # idempotent


def test_hand_edit_is_recorded_as_my_edits_before_a_change(project):
    history = ProjectHistory(project)
    history.ensure("wish")
    assert history.hand_edits() == []
    (project / "main.py").write_bytes(MAIN + b"# mine\n")
    assert history.hand_edits() == ["main.py"]
    mine = history.record_hand_edits("zh")
    assert (mine.n, mine.kind, mine.wish, mine.files_changed) == (
        2,
        "my_edit",
        "我的修改",
        ["main.py"],
    )
    assert history.record_hand_edits("zh") is None  # nothing new since
    third = history.commit({"main.py": "print('v3')\n"}, wish="更快", smoke={"ok": True})
    assert third.n == 3 and third.files_changed == ["main.py"]
    assert (project / "main.py").read_text(encoding="utf-8") == "print('v3')\n"


def test_restore_is_byte_exact_and_itself_a_new_version(project):
    history = ProjectHistory(project)
    history.ensure("wish")
    history.commit({"main.py": "print('v2')\n", "extra.py": "x = 2\n"}, wish="two")
    restored = versions.restore(project, 1)
    assert restored.n == 3 and restored.kind == "restore" and restored.note == "1"
    assert (project / "main.py").read_bytes() == MAIN
    assert not (project / "extra.py").exists()  # version 1 had no extra.py
    (project / "level.dat").write_bytes(b"changed")
    versions.restore(project, 1)
    assert (project / "level.dat").read_bytes() == RAW
    assert (project / "spec.md").read_bytes() == (project / ".versions/1/spec.md").read_bytes()
    assert ProjectHistory(project).snapshot(2)["main.py"] == b"print('v2')\n"  # v2 still there


def test_history_survives_a_new_process_reading_the_folder(project):
    ProjectHistory(project).ensure("wish")
    ProjectHistory(project).commit({"main.py": "a\n"}, wish="two")
    fresh = versions.history(project)
    assert [(v.n, v.wish) for v in fresh] == [(1, "wish"), (2, "two")]


def test_undo_goes_back_from_a_crashing_version(project):
    history = ProjectHistory(project)
    history.ensure("wish")
    crash = history.commit(
        {"main.py": "raise SystemExit(3)\n"}, wish="坏的", smoke={"ok": False, "outcome": "crashed"}
    )
    assert crash.crashed
    back = versions.undo(project)
    assert back.kind == "restore" and back.note == "1"
    assert (project / "main.py").read_bytes() == MAIN


def test_diff_between_versions_is_unified(project):
    history = ProjectHistory(project)
    history.ensure("wish")
    history.commit({"spec.md": "# 贪吃蛇\n\n1. 蛇会动\n2. 蛇会更快\n"}, wish="更快")
    text = versions.diff(project, 1, 2)
    assert "--- v1/spec.md" in text and "+++ v2/spec.md" in text
    assert "+2. 蛇会更快\n" in text and "main.py" not in text


def test_a_failed_commit_leaves_files_and_history_as_they_were(project, monkeypatch):
    history = ProjectHistory(project)
    history.ensure("wish")
    real = versions._atomic_write

    def broken(target, text):
        if target.name == "project.json":
            raise OSError("disk full")
        real(target, text)

    monkeypatch.setattr(versions, "_atomic_write", broken)
    with pytest.raises(OSError):
        history.commit({"main.py": "print('lost')\n"}, wish="two")
    assert (project / "main.py").read_bytes() == MAIN
    assert [v.n for v in history.versions()] == [1]
    assert sorted(p.name for p in (project / ".versions").iterdir()) == ["1"]


def test_unknown_version_and_non_project_give_clear_messages(project, tmp_path):
    ProjectHistory(project).ensure("wish")
    with pytest.raises(CodeflowError) as err:
        versions.restore(project, 7)
    assert "没有版本 7" in err.value.message("zh") and "no version 7" in err.value.message("en")
    with pytest.raises(CodeflowError) as err:
        ProjectHistory(tmp_path)
    assert err.value.code == "versions.not_project"
    with pytest.raises(CodeflowError):
        ProjectHistory(project).commit({"../escape.py": "x"}, wish="bad")
