"""Sandbox start-up: the launcher against bare python, 20 runs each, side by side in one run.

The program is a pygame hello-world that initialises pygame and asks fontconfig for a font
(``SysFont``), then exits — the start-up every game pays. Each round runs it once bare
(``python main.py`` in a copy of the folder, SDL dummy drivers), then through ``run_to_end``
with no mechanism (the launcher's own share) and under each Linux mechanism, so machine load
falls on every side alike.
The launcher side includes everything a learner waits for: copying the folder, building the
environment, the mechanism, the program, and removing the run folder. ``--quick`` runs 5 rounds.
Target: median overhead ≤ +50 ms per mechanism.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import PYTHON, Row, median, parser, print_table  # noqa: E402

from codeflow_widget.sandbox import RunSpec, run_to_end  # noqa: E402
from codeflow_widget.sandbox.launcher import _probe  # noqa: E402

HELLO = """import pygame
pygame.init()
font = pygame.font.SysFont("dejavusans,arial", 24)
print("hello", font.get_height())
"""
MECHANISMS = ("bubblewrap", "landlock+seccomp")
LAUNCHER_ONLY = "none"  # the launcher without a mechanism: its own share of the overhead
TARGET_MS = 50.0


def bare(folder: Path) -> float:
    run = Path(tempfile.mkdtemp(prefix="codeflow-bench-bare-"))
    start = time.perf_counter()
    shutil.copytree(folder, run, dirs_exist_ok=True)  # the launcher copies too: same work here
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "HOME": str(run),
        "LANG": "C.UTF-8",
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
        "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    }
    done = subprocess.run([PYTHON, "main.py"], cwd=run, env=env, capture_output=True)
    shutil.rmtree(run)
    elapsed = (time.perf_counter() - start) * 1000
    assert done.returncode == 0 and b"hello" in done.stdout, done.stderr
    return elapsed


async def sandboxed(folder: Path, mechanism: str) -> float:
    start = time.perf_counter()
    spec = RunSpec(source_dir=folder, timeout_s=30, seatbelt=False)
    outcome = await run_to_end(spec, mechanism=mechanism)
    elapsed = (time.perf_counter() - start) * 1000
    assert outcome.exit_code == 0 and "hello" in outcome.output, outcome.output
    return elapsed


async def rounds_side_by_side(folder: Path, measured: list[str], rounds: int):
    """One event loop for every launcher run, as in a notebook kernel."""
    bare(folder), [await sandboxed(folder, m) for m in measured]  # warm caches, unmeasured
    times: dict[str, list[float]] = {"bare": [], **{m: [] for m in measured}}
    for _ in range(rounds):
        times["bare"].append(bare(folder))
        for m in measured:
            times[m].append(await sandboxed(folder, m))
    return times


def main() -> int:
    args = parser(__doc__).parse_args()
    rounds = 5 if args.quick else 20
    usable = [m for m in MECHANISMS if _probe(m) is None]
    measured = [LAUNCHER_ONLY, *usable]
    for m in MECHANISMS:
        if m not in usable:
            print(f"{m}: not active here ({_probe(m)})")
    with tempfile.TemporaryDirectory(prefix="codeflow-bench-sandbox-") as tmp:
        folder = Path(tmp) / "hello"
        folder.mkdir()
        (folder / "main.py").write_text(HELLO, encoding="utf-8")
        times = asyncio.run(rounds_side_by_side(folder, measured, rounds))
    base = median(times["bare"])
    rows = [Row(f"bare python, median of {rounds}", f"{base:.0f} ms", "—", None)]
    launcher_only = median(times[LAUNCHER_ONLY])
    rows.append(
        Row("launcher, no mechanism, overhead", f"{launcher_only - base:+.0f} ms", "—", None)
    )
    for m in usable:
        med = median(times[m])
        rows.append(Row(f"{m}, median of {rounds}", f"{med:.0f} ms", "—", None))
        rows.append(
            Row(
                f"{m} overhead",
                f"{med - base:+.0f} ms",
                f"≤ +{TARGET_MS:.0f} ms",
                med - base <= TARGET_MS,
            )
        )
    rows += [
        Row(
            "mechanisms measured",
            str(len(usable)),
            str(len(MECHANISMS)),
            len(usable) == len(MECHANISMS),
        )
    ]
    return 0 if print_table("sandbox start-up (pygame hello-world with SysFont)", rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
