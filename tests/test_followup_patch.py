"""Applying a unified diff over the learner's current files: by content, all or nothing."""

from __future__ import annotations

import difflib

import pytest

from codeflow_widget.checks.patch import PatchConflict, apply_patch, looks_like_diff, parse_patch
from codeflow_widget.model.errors import CodeflowError

ORIGINAL = "".join(f"line {i}\n" for i in range(1, 41))


def _diff(old: str, new: str, path: str = "main.py") -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
        )
    )


def test_patch_applies_over_a_learner_edit_elsewhere():
    changed = ORIGINAL.replace("line 30\n", "line 30 faster\n")
    patch = _diff(ORIGINAL, changed)
    learner = "# my own note\n# another\n" + ORIGINAL.replace("line 5\n", "line 5 mine\n")
    out = apply_patch({"main.py": learner}, patch)
    assert "line 30 faster\n" in out["main.py"]
    assert out["main.py"].startswith("# my own note\n") and "line 5 mine\n" in out["main.py"]


def test_conflicting_hunk_names_the_line_in_both_languages():
    patch = _diff(ORIGINAL, ORIGINAL.replace("line 30\n", "line 30 faster\n"))
    learner = ORIGINAL.replace("line 30\n", "line 30 by me\n")
    with pytest.raises(PatchConflict) as err:
        apply_patch({"main.py": learner}, patch)
    assert "line 30" in err.value.message("zh") and "项目没有任何改动" in err.value.message("zh")
    assert "Nothing was changed" in err.value.message("en")


def test_miscounted_headers_fence_and_trailing_spaces_are_tolerated():
    patch = _diff(ORIGINAL, ORIGINAL.replace("line 12\n", "line 12\nnew 12b\n"))
    patch = patch.replace("@@ -9,7 +9,8 @@", "@@ -9,99 +9,3 @@")
    learner = ORIGINAL.replace("line 11\n", "line 11   \n")
    out = apply_patch({"main.py": learner}, f"Here is the change:\n```diff\n{patch}```\n")
    assert "line 12\nnew 12b\n" in out["main.py"]


def test_two_hunks_land_in_order_and_a_new_file_is_created():
    new = ORIGINAL.replace("line 3\n", "LINE 3\n").replace("line 38\n", "LINE 38\n")
    patch = _diff(ORIGINAL, new) + _diff("", "x = 1\n", "extra.py").replace(
        "a/extra.py", "/dev/null"
    )
    assert looks_like_diff(patch) and len(parse_patch(patch)) == 2
    out = apply_patch({"main.py": ORIGINAL}, patch)
    assert out["main.py"] == new and out["extra.py"] == "x = 1\n"


def test_not_a_diff_and_missing_file_are_clear_errors():
    with pytest.raises(CodeflowError) as err:
        apply_patch({"main.py": ORIGINAL}, "just some words")
    assert err.value.code == "patch.malformed"
    with pytest.raises(CodeflowError) as err:
        apply_patch({}, _diff(ORIGINAL, ORIGINAL + "x\n"))
    assert err.value.code == "patch.missing_file"
