"""Run a generated project once and judge it: the smoke run and the 运行 button.

The run goes through the one launcher (``run_to_end``): a throwaway copy of the project folder,
the best sandbox this machine offers, ``guard.py`` as the inner seatbelt, SDL's dummy drivers
when headless, and a timeout (default 5 s). A game that is still alive at the timeout passes —
games loop until the window closes. So does a program that exits 0, or one that stops at
``input()`` with no keyboard attached. A traceback or a non-zero exit fails, and the last line of
the traceback becomes the learner's message. The output is already redacted by the launcher.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from codeflow_widget.model.entities import SmokeResult
from codeflow_widget.model.messages import Language, message
from codeflow_widget.sandbox.outcome import MAX_OUTPUT_CHARS, run_to_end
from codeflow_widget.sandbox.policy import Limits, RunSpec

__all__ = ["MAX_OUTPUT_CHARS", "judge", "run_project"]


async def run_project(
    project_dir: Path,
    main_file: str = "main.py",
    *,
    timeout_s: float = 5.0,
    headless: bool = True,
    language: Language = "zh",
    required: bool = False,
) -> SmokeResult:
    """Run ``main_file`` of ``project_dir`` through the sandbox launcher and judge the outcome.

    Raises ``SandboxUnavailable`` when ``required`` and no mechanism isolates here, and
    ``RunRefused`` for an entry that is not a .py file inside the folder.
    """
    spec = RunSpec(
        source_dir=Path(project_dir),
        entry=main_file,
        timeout_s=timeout_s,
        headless=headless,
        language=language,
        limits=Limits() if headless else Limits(cpu_s=None),  # a game being played has no CPU cap
    )
    outcome = await run_to_end(spec, required=required)
    return judge(outcome.output, outcome.exit_code, outcome.duration_ms, timeout_s, language)


def judge(
    output: str,
    exit_code: int | None,
    duration_ms: int,
    timeout_s: float,
    language: Language = "zh",
) -> SmokeResult:
    """Decide pass/fail from what the process printed and how it ended."""
    # Every verdict carries how the process ended; only ok, outcome and the message differ.
    verdict = partial(SmokeResult, exit_code=exit_code, duration_ms=duration_ms, output=output)
    has_traceback = "Traceback (most recent call last)" in output
    last_line = next((line.strip() for line in reversed(output.splitlines()) if line.strip()), "")
    if has_traceback and "EOFError" in last_line and exit_code not in (None, 0):
        return verdict(
            ok=True, outcome="waiting_input", message=message("run.waiting_input", language)
        )
    if has_traceback and "No module named 'pygame'" in output:
        return verdict(
            ok=False, outcome="missing_dependency", message=message("run.missing_pygame", language)
        )
    if has_traceback or exit_code not in (None, 0):
        return verdict(
            ok=False,
            outcome="crashed",
            message=message(
                "run.crashed", language, exit_code=exit_code, last_line=last_line[:300]
            ),
        )
    if exit_code is None:  # still alive at the timeout: a game loops until its window closes
        return verdict(
            ok=True,
            outcome="timeout_alive",
            message=message("run.ok", language, seconds=f"{timeout_s:g}"),
        )
    return verdict(ok=True, outcome="exited", message=message("run.exited", language))
