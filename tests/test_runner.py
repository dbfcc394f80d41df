"""The smoke run: alive at the timeout, a clean exit, or waiting for input pass; a traceback fails."""

from __future__ import annotations

from codeflow_widget.sandbox.runner import run_project


def write(folder, code: str):
    (folder / "main.py").write_text(code, encoding="utf-8")
    return folder


async def test_a_game_loop_still_alive_at_the_timeout_passes(isolated):
    result = await run_project(
        write(isolated, "import time\nwhile True:\n    time.sleep(0.05)\n"), timeout_s=1
    )
    assert result.ok and result.outcome == "timeout_alive" and result.exit_code is None


async def test_a_clean_exit_passes(isolated):
    result = await run_project(write(isolated, "print('你好')\n"), timeout_s=5)
    assert result.ok and result.outcome == "exited" and "你好" in result.output


async def test_a_traceback_fails_with_its_last_line(isolated):
    result = await run_project(write(isolated, "def f():\n    return 1 / 0\nf()\n"), timeout_s=5)
    assert not result.ok and result.outcome == "crashed" and "ZeroDivisionError" in result.message


async def test_a_nonzero_exit_fails(isolated):
    result = await run_project(write(isolated, "import sys\nsys.exit(3)\n"), timeout_s=5)
    assert not result.ok and result.exit_code == 3


async def test_a_program_waiting_for_keyboard_input_passes(isolated):
    result = await run_project(write(isolated, "name = input('名字？')\n"), timeout_s=5)
    assert result.ok and result.outcome == "waiting_input"


async def test_pygame_runs_headless_with_dummy_drivers(isolated):
    code = "import pygame\npygame.init()\nscreen = pygame.display.set_mode((200, 100))\nwhile True:\n    pygame.event.pump()\n    pygame.display.flip()\n"
    result = await run_project(write(isolated, code), timeout_s=2)
    assert result.ok and result.outcome == "timeout_alive", result.output


async def test_the_game_runs_in_a_throwaway_copy_without_api_keys(isolated, monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", "sk-never-passed-on-123")
    code = (
        "import os, pathlib\nhere = pathlib.Path.cwd()\n"
        "print('cwd', here == pathlib.Path(__file__).resolve().parent)\n"
        "print('files', sorted(p.name for p in here.iterdir()))\n"
        "print(os.environ.get('MINIMAX_API_KEY'))\n"
    )
    result = await run_project(write(isolated, code), timeout_s=5)
    assert "cwd True" in result.output and "files ['main.py']" in result.output, result.output
    assert str(isolated) not in result.output.replace("files", "")  # not the project folder itself
    assert "sk-never" not in result.output


async def test_english_messages(isolated):
    result = await run_project(write(isolated, "raise SystemExit(2)\n"), timeout_s=5, language="en")
    assert "crashed" in result.message


async def test_writing_outside_the_project_folder_is_blocked_at_run_time(isolated):
    project = isolated / "proj"
    project.mkdir()
    code = "import os\nname = os.path.join('..', 'esc' + 'aped.txt')\nopen(name, 'w', encoding='utf-8').write('x')\n"
    result = await run_project(write(project, code), timeout_s=5)
    assert not result.ok and "PermissionError" in result.output
    assert not (isolated / "escaped.txt").exists()


async def test_writing_inside_the_run_folder_is_allowed_and_never_reaches_the_project(isolated):
    code = "from pathlib import Path\n(Path(__file__).parent / 'save.txt').write_text('1', encoding='utf-8')\nprint('saved', (Path(__file__).parent / 'save.txt').read_text(encoding='utf-8'))\n"
    result = await run_project(write(isolated, code), timeout_s=5)
    assert result.ok and "saved 1" in result.output, result.output
    assert not (isolated / "save.txt").exists()  # the project receives only validated files


async def test_commands_are_blocked_at_run_time(isolated):
    code = "import importlib\nsp = importlib.import_module('subpro' + 'cess')\nsp.run(['echo', 'hi'])\n"
    result = await run_project(write(isolated, code), timeout_s=5)
    assert not result.ok and "safety guard" in result.output


async def test_pygame_system_fonts_still_load_under_the_guard(isolated):
    code = "import pygame\npygame.init()\nfont = pygame.font.SysFont(['notosanscjksc', 'simhei'], 20)\nprint('font', font.get_height() > 0)\n"
    result = await run_project(write(isolated, code), timeout_s=10)
    assert result.ok and "font True" in result.output, result.output
