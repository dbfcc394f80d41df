"""The process tree ends at the timeout, on stop(), and when the caller itself is killed; the
run folder is a throwaway copy; stdin, extra_env and the refusals behave as the contract says."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from codeflow_widget.sandbox import (
    RunRefused,
    RunSpec,
    SandboxUnavailable,
    launch,
    run_to_end,
)
from codeflow_widget.sandbox.scratch import sweep_orphans

from .conftest import leftovers

TREE = """
import os, sys, time
for _ in range(3):
    if os.fork() == 0:
        if os.fork() == 0:
            time.sleep(120)
        os._exit(0)
print("ready", flush=True)
time.sleep(120)
"""


def project(tmp_path: Path, source: str, name: str = "main.py") -> Path:
    folder = tmp_path / "game"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return folder


def wait_until_gone(marker: str) -> list[int]:
    for _ in range(200):
        alive = leftovers(marker)
        if not alive:
            return []
        time.sleep(0.05)
    return alive


async def test_stop_ends_the_whole_tree(mechanism, tmp_path):
    running = await launch(
        RunSpec(source_dir=project(tmp_path, TREE), timeout_s=None, seatbelt=False),
        mechanism=mechanism,
    )
    assert (await running.stdout.readline()).strip() == b"ready"
    marker = f"codeflow-run-{os.getpid()}-"
    assert leftovers(marker), "the tree should be visible while it runs"
    await running.stop()
    await running.stop()  # idempotent
    assert running.stopped_for == "stop"
    assert wait_until_gone(marker) == []
    assert not running.run_dir.exists()


async def test_timeout_ends_the_whole_tree(mechanism, tmp_path):
    outcome = await run_to_end(
        RunSpec(source_dir=project(tmp_path, TREE), timeout_s=1.5, seatbelt=False),
        mechanism=mechanism,
    )
    assert outcome.timed_out and outcome.exit_code is None
    assert "ready" in outcome.output
    assert wait_until_gone(f"codeflow-run-{os.getpid()}-") == []


CALLER = """
import asyncio, sys
from pathlib import Path
from codeflow_widget.sandbox import RunSpec, launch

async def main():
    running = await launch(RunSpec(source_dir=Path(sys.argv[1]), timeout_s=None, seatbelt=False),
                           mechanism=sys.argv[2])
    print((await running.stdout.readline()).decode().strip(), flush=True)
    await asyncio.sleep(120)

asyncio.run(main())
"""


def test_killing_the_caller_leaves_no_survivor(mechanism, tmp_path, monkeypatch):
    # The caller's temporary folder is this test's own: every launch sweeps the orphans of dead
    # callers, so with the shared one a launch in another test (another xdist worker) could
    # remove the killed caller's run folder before this test looks for it.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    folder = project(tmp_path, TREE)
    caller = subprocess.Popen(
        [sys.executable, "-c", CALLER, str(folder), mechanism],
        stdout=subprocess.PIPE,
        cwd=str(Path(__file__).parents[2]),
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    try:
        assert caller.stdout.readline().strip() == b"ready"
        marker = f"codeflow-run-{caller.pid}-"
        assert leftovers(marker)
        os.kill(caller.pid, signal.SIGKILL)
        caller.wait()
        assert wait_until_gone(marker) == []
    finally:
        if caller.poll() is None:
            caller.kill()
    left = list(scratch.glob(f"codeflow-run-{caller.pid}-*"))
    assert left, "kill -9 leaves the caller no time to remove its run folder"
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the next launch's sweep, here
    sweep_orphans()
    assert not any(p.exists() for p in left)


async def test_the_run_folder_is_a_throwaway_copy(mechanism, tmp_path):
    folder = project(tmp_path, "open('main.py', 'w').write('rewritten'); open('pygame.py', 'w')\n")
    (folder / "link").symlink_to("/etc/hostname")
    before = (folder / "main.py").read_bytes()
    outcome = await run_to_end(RunSpec(source_dir=folder), mechanism=mechanism)
    assert outcome.exit_code == 0, outcome.output
    assert (folder / "main.py").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["link", "main.py"]


async def test_stdin_pipe_reaches_the_program(mechanism, tmp_path):
    folder = project(tmp_path, "print('got', input(), flush=True)\n")
    running = await launch(RunSpec(source_dir=folder, stdin_pipe=True), mechanism=mechanism)
    running.stdin.write(b"hello\n")
    await running.stdin.drain()
    assert await running.stdout.readline() == b"got hello\n"
    assert await running.wait() == 0


async def test_extra_env_passes_only_allowed_names(mechanism, tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_SECRET_FROM_PARENT", "parent-value")
    folder = project(tmp_path, "import os; print(sorted(k for k in os.environ if 'X_' in k))\n")
    spec = RunSpec(
        source_dir=folder,
        extra_env={"SDL_X_HINT": "1", "CODEFLOW_PLAY_X_CODEC": "png", "EVIL_X_TOKEN": "t"},
    )
    outcome = await run_to_end(spec, mechanism=mechanism)
    assert outcome.output.strip() == "['CODEFLOW_PLAY_X_CODEC', 'SDL_X_HINT']"


async def test_exit_code_and_output_order(mechanism, tmp_path):
    folder = project(tmp_path, "import sys; print('out'); sys.stdout.flush(); sys.exit('err')\n")
    outcome = await run_to_end(RunSpec(source_dir=folder), mechanism=mechanism)
    assert outcome.exit_code == 1 and not outcome.timed_out
    assert outcome.output.index("out") < outcome.output.index("err")


async def test_required_refuses_where_nothing_isolates(tmp_path):
    folder = project(tmp_path, "print('ran')\n")
    with pytest.raises(SandboxUnavailable) as caught:
        await launch(RunSpec(source_dir=folder), required=True, mechanism="none")
    assert "没有可用的沙箱" in caught.value.message("zh")
    assert "No sandbox is available" in caught.value.message("en")


async def test_none_mechanism_says_not_isolated(tmp_path):
    outcome = await run_to_end(
        RunSpec(source_dir=project(tmp_path, "print(1)\n")), mechanism="none"
    )
    assert outcome.mechanism.isolated is False
    assert outcome.mechanism.detail.startswith("未隔离")


async def test_unknown_mechanism_and_bad_entry_are_refused(tmp_path):
    folder = project(tmp_path, "print(1)\n")
    with pytest.raises(SandboxUnavailable) as unknown:
        await launch(RunSpec(source_dir=folder), mechanism="chroot")
    assert "chroot" in unknown.value.message("en")
    for entry in ("../main.py", "/etc/passwd.py", "main.sh"):
        with pytest.raises(RunRefused) as refused:
            await launch(RunSpec(source_dir=folder, entry=entry))
        assert "必须是项目文件夹里的" in refused.value.message("zh")


async def test_cancelling_run_to_end_stops_the_tree(mechanism, tmp_path):
    task = asyncio.ensure_future(
        run_to_end(
            RunSpec(source_dir=project(tmp_path, TREE), timeout_s=None, seatbelt=False),
            mechanism=mechanism,
        )
    )
    marker = f"codeflow-run-{os.getpid()}-"
    for _ in range(200):
        if leftovers(marker):
            break
        await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert wait_until_gone(marker) == []
