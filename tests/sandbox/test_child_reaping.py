"""Only asyncio's child watcher reaps a launched program, so its exit code is the real one.

``subprocess.Popen.send_signal()`` (behind asyncio's ``Process.kill()``) first polls with
``waitpid()``. When the program had just died from the group signal, that poll reaped it, and
asyncio's watcher then found no child: it logged "Unknown child process pid …" and reported 255
instead of -9 (1 run in 60 stops, measured). Ending a run must therefore never poll the program's
``Popen``: the count below is exact, not a probability.
"""

from __future__ import annotations

import logging
import signal
import subprocess

import pytest

from codeflow_widget.sandbox import RunSpec, launch

from .test_lifecycle import project

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
