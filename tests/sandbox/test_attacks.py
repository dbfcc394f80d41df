"""The attack suite: programs a model might write, each run through ``run_to_end`` under every
Linux mechanism. Each one must leave everything outside its run folder unchanged, show no secret
(not even hex-encoded or reversed), reach no listener, leave no process behind — and fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from codeflow_widget.sandbox import Limits, RunSpec, run_to_end

ATTACKS = sorted((Path(__file__).parent / "attacks").glob("*.py"))


def test_suite_covers_every_kind_with_sixty_programs():
    kinds = {p.stem.split("_", 1)[0] for p in ATTACKS}
    assert len(ATTACKS) >= 60
    assert kinds == {"files", "commands", "hook", "network", "secrets", "persistence", "resources"}


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.stem)
async def test_attack_is_contained(attack: Path, mechanism: str, arena):
    arena.install(attack)
    # seatbelt=False: the mechanism must hold on its own, without guard.py's audit hook.
    spec = RunSpec(source_dir=arena.project, timeout_s=4, limits=Limits(cpu_s=10), seatbelt=False)
    outcome = await run_to_end(spec, mechanism=mechanism)
    assert outcome.mechanism.isolated and outcome.mechanism.name == mechanism
    arena.check(outcome)
