"""``codeflow play DIR``: the window where a display exists, the notebook route where none does."""

from __future__ import annotations

import argparse

import pytest

from codeflow_widget.terminal import play_command

from .conftest import GAMES


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    play_command.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["play", *argv])


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh", "这台电脑没有图形界面"), ("en", "This machine has no display")],
)
def test_without_a_display_it_says_how_to_play_in_a_notebook(monkeypatch, capsys, language, words):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert play_command.run(parse(str(GAMES / "square"), "--language", language)) == 0
    out = capsys.readouterr().out
    assert words in out
    assert "from codeflow_widget import play" in out
    assert str(GAMES / "square") in out


def test_a_missing_folder_or_main_py_is_a_usage_error(tmp_path, capsys):
    assert play_command.run(parse(str(tmp_path / "nope"))) == 2
    assert "找不到项目文件夹" in capsys.readouterr().err
    assert play_command.run(parse(str(tmp_path), "--language", "en")) == 2
    assert "has no main.py" in capsys.readouterr().err


def test_with_a_display_the_game_runs_through_the_launcher_and_its_exit_code_counts(
    tmp_path, monkeypatch, capsys
):
    # A display is claimed; the program finishes by itself (pygame is not needed to test the
    # route), so the exit code and output come from the sandboxed run.
    monkeypatch.setenv("DISPLAY", ":99")
    (tmp_path / "main.py").write_text("print('hello from the game')\n", encoding="utf-8")
    assert play_command.run(parse(str(tmp_path))) == 0
    captured = capsys.readouterr()
    assert "hello from the game" in captured.out
    assert "正在打开游戏窗口" in captured.err
    (tmp_path / "main.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    assert play_command.run(parse(str(tmp_path), "--language", "en")) == 1
    assert "exit code 3" in capsys.readouterr().err
