"""Only asyncio's child watcher reaps a launched program, so its exit code is the real one.

``subprocess.Popen.send_signal()`` (behind asyncio's ``Process.kill()``) first polls with
``waitpid()``. When the program had just died from the group signal, that poll reaped it, and
asyncio's watcher then found no child: it logged "Unknown child process pid …" and reported 255
instead of -9 (1 run in 60 stops, measured). Ending a run must therefore never poll the program's
``Popen``: the count below is exact, not a probability.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from codeflow_widget.sandbox import RunSpec, launch

from .conftest import leftovers
from .test_lifecycle import project, wait_until_gone

SLEEPER = """
import time
print("ready", flush=True)
time.sleep(120)
"""


@pytest.fixture
def polled(monkeypatch) -> list[int]:
    """The pids of every Popen polled from now on."""
    seen: list[int] = []
    real_poll = subprocess.Popen._internal_poll

    def counting_poll(self, *args, **kwargs):
        seen.append(self.pid)
        return real_poll(self, *args, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "_internal_poll", counting_poll)
    return seen


async def test_stopping_a_run_never_polls_its_process_so_the_watcher_reports_sigkill(
    mechanism, tmp_path, polled, caplog
):
    caplog.set_level(logging.WARNING, logger="asyncio")
    running = await launch(
        RunSpec(source_dir=project(tmp_path, SLEEPER), timeout_s=None, seatbelt=False),
        mechanism=mechanism,
    )
    assert (await running.stdout.readline()).strip() == b"ready"
    await running.stop()
    assert await running.wait() == -signal.SIGKILL
    assert running.pid not in polled, "the program's Popen was polled: it may reap the program"
    assert not [r for r in caplog.records if "Unknown child process" in r.getMessage()]


async def test_a_timed_out_run_is_never_polled_either(mechanism, tmp_path, polled):
    running = await launch(
        RunSpec(source_dir=project(tmp_path, SLEEPER), timeout_s=0.5, seatbelt=False),
        mechanism=mechanism,
    )
    assert await running.wait() == -signal.SIGKILL
    assert running.timed_out
    assert running.pid not in polled


def program_started(marker: str) -> bool:
    """The learner's program itself runs (not only bubblewrap or confine.py's supervisor)."""
    for pid in leftovers(marker):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
        except OSError:
            continue
        wrapper = Path(argv[0]).name.startswith("bwrap") or any(
            a.endswith("confine.py") for a in argv
        )
        if argv and argv[-1] == "main.py" and not wrapper:
            return True
    return False


async def test_a_launch_cancelled_while_its_program_starts_ends_and_leaves_nothing(
    mechanism, tmp_path
):
    """The stop button may land while the program is starting: after fork and exec, before
    asyncio has connected the pipes. asyncio's own clean-up there killed only the direct child
    (bubblewrap or the supervisor) and then waited for pipes the program still held: the stop
    hung forever and the program lived on. The loop is stepped until the wrapper has been
    spawned, then held (synchronously) until the program itself runs, so the cancel lands in
    exactly that window; the case is run a few times. (The old clean-up hangs here every time
    under Landlock+seccomp, whose program outlives its supervisor; under bubblewrap this window
    happened to end, through --die-with-parent, but the flow's cancel test hung under it too.)"""
    source = project(tmp_path, SLEEPER)
    prefix = f"codeflow-run-{os.getpid()}-"
    folders = Path(tempfile.gettempdir())
    for attempt in range(3):
        before = set(folders.glob(f"{prefix}*"))  # other tests' runs in this worker may be ending
        task = asyncio.ensure_future(
            launch(RunSpec(source_dir=source, timeout_s=None, seatbelt=False), mechanism=mechanism)
        )
        steps, marker = 0, None
        while marker is None or not leftovers(marker):  # one loop step at a time: wrapper spawned
            assert steps < 1000 and not task.done(), "the wrapper was never spawned"
            await asyncio.sleep(0)
            steps += 1
            new = set(folders.glob(f"{prefix}*")) - before
            marker = new.pop().name if new else None  # this launch's own run folder
        give_up = time.monotonic() + 20
        while not program_started(marker):  # blocks the loop on purpose: the start can't finish
            assert time.monotonic() < give_up, "the program never started"
            time.sleep(0.01)
        assert not task.done(), "launch() finished while the loop was held: the window was missed"
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=20)  # generous: a hang never ends
        assert done, f"a launch cancelled after {steps} loop steps never ended (attempt {attempt})"
        assert task.cancelled()
        assert wait_until_gone(marker) == [], f"a process outlived a cancel (attempt {attempt})"
        assert not (folders / marker).exists(), "the cancelled run left its folder"
