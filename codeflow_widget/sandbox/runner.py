"""Run a generated project in a subprocess: the smoke run and the 运行 button.

The smoke run starts the main file with SDL's dummy video and audio drivers, the
project folder as working directory and a timeout (default 5 s), through
``guard.py``, which stops the program from touching anything outside its folder. A game that is
still alive at the timeout passes — games loop until the window closes. So does
a program that exits 0, or one that stops at ``input()`` with no keyboard
attached. A traceback or a non-zero exit fails, and the last line of the
traceback becomes the learner's message.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from codeflow_widget.model.entities import SmokeResult
from codeflow_widget.model.messages import Language, message

MAX_OUTPUT_CHARS = 20_000
GUARD = Path(__file__).with_name("guard.py")  # keeps the program inside its folder


def _env(headless: bool) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")
    }  # the game never needs a key
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUTF8"] = "1"
    env["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if headless:
        env["SDL_VIDEODRIVER"] = "dummy"
        env["SDL_AUDIODRIVER"] = "dummy"
    return env


async def run_project(
    project_dir: Path,
    main_file: str = "main.py",
    *,
    timeout_s: float = 5.0,
    headless: bool = True,
    language: Language = "zh",
) -> SmokeResult:
    """Run ``main_file`` inside ``project_dir`` and judge the outcome."""
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-X",
        "utf8",
        str(GUARD),
        main_file,
        cwd=str(project_dir),
        env=_env(headless),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    timed_out = False
    try:
        output_bytes, _ = await asyncio.wait_for(proc.communicate(), timeout=timeout_s)
    except asyncio.TimeoutError:
        timed_out = True
        output_bytes = await _stop(proc)
    except asyncio.CancelledError:
        await _stop(proc)
        raise
    duration_ms = int((time.perf_counter() - started) * 1000)
    output = output_bytes.decode("utf-8", errors="replace")[-MAX_OUTPUT_CHARS:]
    return judge(output, None if timed_out else proc.returncode, duration_ms, timeout_s, language)


async def _stop(proc: asyncio.subprocess.Process) -> bytes:
    proc.kill()
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=5)
    except (asyncio.TimeoutError, ValueError):
        out = b""
    return out or b""


def judge(
    output: str,
    exit_code: int | None,
    duration_ms: int,
    timeout_s: float,
    language: Language = "zh",
) -> SmokeResult:
    """Decide pass/fail from what the process printed and how it ended."""
    has_traceback = "Traceback (most recent call last)" in output
    last_line = next((line.strip() for line in reversed(output.splitlines()) if line.strip()), "")
    if has_traceback and "EOFError" in last_line and exit_code not in (None, 0):
        return SmokeResult(
            ok=True,
            outcome="waiting_input",
            exit_code=exit_code,
            duration_ms=duration_ms,
            output=output,
            message=message("run.waiting_input", language),
        )
    if has_traceback and "No module named 'pygame'" in output:
        return SmokeResult(
            ok=False,
            outcome="missing_dependency",
            exit_code=exit_code,
            duration_ms=duration_ms,
            output=output,
            message=message("run.missing_pygame", language),
        )
    if has_traceback or exit_code not in (None, 0):
        return SmokeResult(
            ok=False,
            outcome="crashed",
            exit_code=exit_code,
            duration_ms=duration_ms,
            output=output,
            message=message(
                "run.crashed", language, exit_code=exit_code, last_line=last_line[:300]
            ),
        )
    if exit_code is None:
        return SmokeResult(
            ok=True,
            outcome="timeout_alive",
            duration_ms=duration_ms,
            output=output,
            message=message("run.ok", language, seconds=f"{timeout_s:g}"),
        )
    return SmokeResult(
        ok=True,
        outcome="exited",
        exit_code=0,
        duration_ms=duration_ms,
        output=output,
        message=message("run.exited", language),
    )
