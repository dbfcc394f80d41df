"""``codeflow stats --log``: several logs in one option without breaking on a drive letter
(``C:\\``) or on a ``:`` inside a real path; read through the real CLI (terminal/cli.py)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from codeflow_widget.terminal import cli
from codeflow_widget.terminal.classroom_stats_logs import split_log_option

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def write_log(path, outcomes: list[str]) -> None:
    """One record per request: completed, or failed in the plan phase."""
    lines = []
    for i, outcome in enumerate(outcomes):
        at = (T0 + timedelta(minutes=i)).isoformat(timespec="milliseconds")
        base = {
            "ts": at,
            "level": "INFO",
            "request_id": f"{path.parent.name}-{i}",
            "duration_ms": 900,
        }
        lines.append({**base, "event": "request_started", "phase": None, "retry_count": 0})
        if outcome == "completed":
            lines.append({**base, "event": "request_completed", "phase": None})
        else:
            lines.append({**base, "event": "request_failed", "phase": "plan", "level": "ERROR",
                          "error": "provider.auth", "reason": "密钥被拒绝"})  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), "utf-8")


def totals(capsys) -> dict:
    return json.loads(capsys.readouterr().out)["requests"]


@pytest.mark.parametrize(
    ("given", "sep", "expected"),
    [
        (r"C:\class\a.jsonl;D:\class\b", ";", [r"C:\class\a.jsonl", r"D:\class\b"]),
        (r"C:\class\a.jsonl:D:/class/b:logs", ":", [r"C:\class\a.jsonl", "D:/class/b", "logs"]),
        ("logs:/home/ann/logs", ":", ["logs", "/home/ann/logs"]),
        (["a.jsonl", "b:c"], ":", ["a.jsonl", "b", "c"]),  # a repeated option, each one split
        ("a::b:", ":", ["a", "b"]),
    ],
)
def test_the_option_splits_on_the_separator_never_on_a_drive_letter(given, sep, expected):
    assert split_log_option(given, sep=sep) == expected


def test_two_logs_joined_with_the_path_separator_are_both_read(tmp_path, capsys):
    first, second = tmp_path / "ann" / "system_trace.jsonl", tmp_path / "bob" / "system_trace.jsonl"
    write_log(first, ["completed", "completed", "failed"])
    write_log(second, ["completed", "failed"])
    assert cli.main(["stats", "--json", "--log", f"{first}{os.pathsep}{second}"]) == 0
    got = totals(capsys)
    assert (got["total"], got["completed"], got["failed"]) == (5, 3, 2)


def test_the_log_option_can_be_given_twice_and_every_log_is_read(tmp_path, capsys):
    ann, bob, cai = (tmp_path / name / "system_trace.jsonl" for name in ("ann", "bob", "cai"))
    write_log(ann, ["completed", "completed", "failed"])
    write_log(bob, ["completed", "failed"])
    write_log(cai, ["failed"])
    # the second --log still splits on the path separator; the first is a folder
    joined = f"{bob}{os.pathsep}{cai}"
    assert cli.main(["stats", "--json", "--log", str(ann.parent), "--log", joined]) == 0
    got = totals(capsys)
    assert (got["total"], got["completed"], got["failed"]) == (6, 3, 3)


def test_a_real_path_holding_a_colon_is_one_log(tmp_path, capsys):
    odd = tmp_path / "C:\\class 1" / "system_trace.jsonl"  # legal on Linux, and not two paths
    write_log(odd, ["completed", "failed"])
    assert cli.main(["stats", "--json", "--log", str(odd)]) == 0
    got = totals(capsys)
    assert (got["total"], got["failed"]) == (2, 1)
