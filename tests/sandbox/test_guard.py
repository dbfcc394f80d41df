"""guard.py alone, without a mechanism: the inner seatbelt refuses the cheap holes of issue 11.

The attack programs of ``attacks/`` run with the ``none`` mechanism and the guard on, so only the
audit hook stands between them and the machine. Secrets are out of scope here (the guard does not
stop reads; the mechanisms and the allow-listed environment do), and two programs whose failure
would hurt the machine itself (appending to the real stdlib, SIGCONT to every process) run only
under the mechanisms. site-packages is replaced by a stand-in folder for the same reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codeflow_widget.sandbox import Limits, RunSpec, run_to_end

from .test_attacks import ATTACKS

UNSAFE_WITHOUT_MECHANISM = {"persistence_stdlib_shadow", "commands_signal_all"}
GUARDED = [
    p for p in ATTACKS
    if not p.stem.startswith("secrets_") and p.stem not in UNSAFE_WITHOUT_MECHANISM
]  # fmt: skip


@pytest.mark.parametrize("attack", GUARDED, ids=lambda p: p.stem)
async def test_guard_alone_refuses_the_attack(attack: Path, arena, tmp_path):
    site = tmp_path / "site-packages"
    site.mkdir()
    arena.install(attack, site=site)
    spec = RunSpec(source_dir=arena.project, timeout_s=4, limits=Limits(cpu_s=10))
    outcome = await run_to_end(spec, mechanism="none")
    assert outcome.mechanism.name == "none"
    arena.check(outcome)
    assert list(site.iterdir()) == []


async def test_guard_keeps_pygame_fonts_and_ordinary_python_working(tmp_path):
    game = tmp_path / "game"
    game.mkdir()
    (game / "main.py").write_text(
        "import collections, dataclasses, inspect, json, sqlite3, pygame\n"
        "pygame.init()\n"
        "font = pygame.font.SysFont('dejavusans,arial', 20)\n"
        "db = sqlite3.connect('scores.db'); db.execute('create table s(x)'); db.commit()\n"
        "open('save.json', 'w').write(json.dumps({'best': 3}))\n"
        "def f(a=1): pass\n"
        "print('ok', font.get_height() > 0, inspect.signature(f))\n",
        encoding="utf-8",
    )
    outcome = await run_to_end(RunSpec(source_dir=game, timeout_s=15), mechanism="none")
    assert outcome.exit_code == 0, outcome.output
    assert "ok True (a=1)" in outcome.output
