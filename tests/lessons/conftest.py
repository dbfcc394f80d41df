"""Load a lesson's game as a module, so tests can drive its own functions.

The code comes from the lesson's ``implement.md`` (or ``implement.en.md``): exactly one fenced
block whose info string is ``python main.py``. It is imported with SDL's dummy drivers, so
``pygame.init()`` and fonts work with no display; ``main()`` is never called.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

LESSONS = (
    Path(__file__).resolve().parents[2] / "codeflow_widget" / "providers" / "offline" / "lessons"
)
FENCE = re.compile(r"^```python main\.py\n(.*?)^```", re.S | re.M)


def lesson_code(lesson_id: str, language: str = "zh") -> str:
    name = "implement.md" if language == "zh" else f"implement.{language}.md"
    text = (LESSONS / lesson_id / name).read_text(encoding="utf-8")
    blocks = FENCE.findall(text)
    assert len(blocks) == 1, f"{lesson_id}/{name} must hold exactly one `python main.py` block"
    return blocks[0]


@pytest.fixture
def load_game(tmp_path, monkeypatch):
    """``load_game("tetris", "en")`` → the lesson's main.py imported as a fresh module."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("PYGAME_HIDE_SUPPORT_PROMPT", "1")

    def load(lesson_id: str, language: str = "zh"):
        path = tmp_path / f"{lesson_id}_{language}" / "main.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(lesson_code(lesson_id, language), encoding="utf-8")
        name = f"lesson_{lesson_id}_{language}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        monkeypatch.chdir(path.parent)
        spec.loader.exec_module(module)
        monkeypatch.delitem(sys.modules, name)
        return module

    yield load
