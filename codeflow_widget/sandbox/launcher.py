"""The one launcher for every run of generated code: ``launch`` / ``run_to_end`` / ``detect``.

``launch(spec)`` copies the validated files into a throwaway run folder, builds the allow-listed
environment, picks the best mechanism that works here (``detect``), starts the program in a new
session with rlimits (and a pids cgroup where one can be made) and returns a ``Running``: its
pipes, ``wait()`` and ``stop()``. The whole process tree ends at the timeout, on ``stop()``, when
the run folder outgrows ``Limits.disk_bytes``, and when the caller dies; the run folder is removed
afterwards. ``run_to_end`` (in ``outcome.py``) runs a spec to its end.

``CODEFLOW_SANDBOX_MECHANISM`` (bubblewrap | landlock | none), or ``mechanism=`` on ``launch``,
forces one mechanism; a forced mechanism that does not work raises instead of falling back.
"""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import sys
import threading
from pathlib import Path, PurePosixPath

from . import mechanisms
from .environment import build_env
from .mechanisms.base import Command, Job
from .messages import RunRefused, SandboxUnavailable, text
from .policy import Mechanism, RunSpec
from .redact import Redactor
from .scratch import RunFolder, sweep_orphans
from .spawn import children, spawn

MAX_ENTRIES = 5_000  # files and folders the run folder may hold
DISK_CHECK_S = 0.05
PIPE_GRACE_S = 2.0  # after the program exits, how long its pipes may stay open
FORCE_ENV = "CODEFLOW_SANDBOX_MECHANISM"


def _seatbelt() -> str:
    return str(Path(__file__).with_name("guard.py"))


@functools.cache
def _probe(name: str) -> str | None:
    return mechanisms.BY_NAME[name].probe()


def _select(forced: str | None, language: str):
    """(module, reasons) for the mechanism to use; raises when a forced one does not work."""
    if forced:
        name = mechanisms.ALIASES.get(forced, forced)
        if name not in mechanisms.BY_NAME:
            names = ", ".join(sorted([*mechanisms.BY_NAME, *mechanisms.ALIASES]))
            raise SandboxUnavailable("sandbox.unknown", name=forced, names=names)
        reason = _probe(name)
        if reason is not None:
            raise SandboxUnavailable("sandbox.forced", name=name, reason=reason)
        return mechanisms.BY_NAME[name], []
    reasons = []
    for module in mechanisms.candidates():
        reason = _probe(module.NAME)
        if reason is None:
            return module, reasons
        reasons.append(f"{module.NAME}: {reason}")
    return mechanisms.none, reasons or [f"no sandbox mechanism for {sys.platform}"]


def _describe(module, reasons: list[str], language: str) -> Mechanism:
    if module is mechanisms.none:
        return Mechanism("none", False, text("none", language, reason="; ".join(reasons)))
    isolated = module is not mechanisms.windows
    return Mechanism(module.NAME, isolated, text(module.NAME, language))


def detect(language: str = "zh") -> Mechanism:
    """The mechanism a run would get here (probed once per process, then cached)."""
    try:
        module, reasons = _select(os.environ.get(FORCE_ENV), language)
    except SandboxUnavailable as exc:
        return Mechanism("none", False, text("none", language, reason=exc.params["reason"]))
    return _describe(module, reasons, language)


class Running:
    """A started run: raw pipes, ``wait()`` for the exit code, ``stop()`` to end the tree."""

    def __init__(self, proc, mechanism: Mechanism, folder: RunFolder, cgroup, command, spec):
        self._proc = proc
        self.mechanism = mechanism
        self.stdin: asyncio.StreamWriter | None = proc.stdin
        self.stdout: asyncio.StreamReader = proc.stdout
        self.stderr: asyncio.StreamReader = proc.stderr
        self.pid: int = proc.pid
        self.run_dir: Path = folder.path
        self.timed_out = False
        self.stopped_for: str | None = None  # "timeout" | "stop" | "disk"
        self._folder, self._cgroup, self._command, self._spec = folder, cgroup, command, spec
        self._redactor = Redactor()
        self._finished: asyncio.Future | None = None
        loop = asyncio.get_running_loop()
        self._timer = (
            loop.call_later(spec.timeout_s, self._on_timeout)
            if spec.timeout_s is not None
            else None
        )
        self._disk_task = asyncio.ensure_future(self._watch_disk())

    def redact(self, text_: str) -> str:
        return self._redactor(text_)

    async def wait(self) -> int:
        """The exit code (negative: killed by that signal); the run folder is removed after.

        asyncio's ``Process.wait()`` also waits for the pipes to close, and a pipe stays open
        while a grandchild holds it or while nobody reads a full buffer. The exit code is known
        before that, so after a short grace the run ends anyway and clean-up ends the rest.
        """
        exited = asyncio.ensure_future(self._proc.wait())
        while not exited.done() and self._proc.returncode is None:
            await asyncio.wait({exited}, timeout=0.05)
        if not exited.done():
            await asyncio.wait({exited}, timeout=PIPE_GRACE_S)
            exited.cancel()
        code = self._proc.returncode
        await self._finish()
        return code

    async def stop(self) -> None:
        """End the whole process tree; safe to call any number of times."""
        if self.stopped_for is None and self._proc.returncode is None:
            self.stopped_for = "stop"
        self._kill()
        await self.wait()

    def _on_timeout(self) -> None:
        if self._proc.returncode is None:
            self.timed_out = True
            self.stopped_for = "timeout"
        self._kill()

    async def _watch_disk(self) -> None:
        limit = self._spec.limits.disk_bytes
        while self._proc.returncode is None:
            await asyncio.sleep(DISK_CHECK_S)
            size, entries = self._folder.size(self._program_view(), stop_after=MAX_ENTRIES)
            if size > limit or entries > MAX_ENTRIES:
                self.stopped_for = "disk"
                self._kill()
                return

    def _program_view(self) -> Path | None:
        """The run folder as the program sees it, when it lives in another mount namespace.

        bubblewrap mounts a tmpfs over the run folder inside the sandbox, so our copy stays
        empty of what the program writes; its view is reachable through a sandboxed process's
        ``/proc/<pid>/root``. The tmpfs caps bytes but not the number of files, so the count
        must be read there.
        """
        if self.mechanism.name != "bubblewrap":
            return None
        for child in children(self.pid):
            view = Path(f"/proc/{child}/root") / str(self.run_dir).lstrip("/")
            if view.is_dir():
                return view
        return None

    def _kill(self) -> None:
        if os.name == "nt":
            if self._proc.returncode is None:
                try:
                    self._proc.kill()  # Windows has no process groups; the Job Object ends the rest
                except ProcessLookupError:
                    pass
        else:
            # Only the group signal, never Process.kill(): Popen.send_signal() first polls with
            # waitpid(), and a program that has just died is then reaped by that poll instead of
            # by asyncio's child watcher, which reports "Unknown child process pid" and exit code
            # 255. The launcher starts a session, so the group holds the program and its tree.
            try:
                os.killpg(self.pid, signal.SIGKILL)  # bwrap's pid namespace or the confined group
            except (ProcessLookupError, PermissionError):
                pass
        if self._cgroup is not None:
            self._cgroup.kill_all()

    async def _finish(self) -> None:
        if self._finished is None:
            self._finished = asyncio.ensure_future(self._cleanup())
        await asyncio.shield(self._finished)

    async def _cleanup(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._disk_task.cancel()
        self._kill()  # a grandchild may outlive the program: it ends with the run
        if self._cgroup is not None:
            self._cgroup.kill_all()
            # rmdir waits until the kernel has reaped the killed tree: nothing of it runs any
            # more, so the caller need not wait for that.
            threading.Thread(target=self._cgroup.remove, daemon=True).start()
        if self._command.finished is not None:
            self._command.finished()
        await asyncio.to_thread(self._folder.remove)


def _check_entry(spec: RunSpec) -> None:
    entry = PurePosixPath(spec.entry.replace("\\", "/"))
    if entry.is_absolute() or ".." in entry.parts or entry.suffix != ".py":
        raise RunRefused("sandbox.bad_entry", language=spec.language, entry=spec.entry)


def _program(spec: RunSpec) -> tuple[list[str], tuple[str, ...]]:
    readonly = []
    argv = [sys.executable, "-s", "-X", "utf8"]
    if spec.seatbelt:
        argv.append(_seatbelt())
        readonly.append(_seatbelt())
    if spec.wrapper is not None:
        wrapper = os.path.realpath(spec.wrapper)
        argv.append(wrapper)
        readonly.append(wrapper)
    return [*argv, spec.entry], tuple(readonly)


async def launch(spec: RunSpec, *, required: bool = False, mechanism: str | None = None) -> Running:
    """Start ``spec`` under the best mechanism here; see the module docstring."""
    module, reasons = _select(mechanism or os.environ.get(FORCE_ENV), spec.language)
    described = _describe(module, reasons, spec.language)
    if required and not described.isolated:
        raise SandboxUnavailable(
            "sandbox.unavailable", reason="; ".join(reasons) or described.detail
        )
    _check_entry(spec)
    sweep_orphans()
    try:
        folder = RunFolder(Path(spec.source_dir), spec.limits.disk_bytes)
    except OSError as exc:
        raise RunRefused(
            "sandbox.bad_source", language=spec.language, path=str(spec.source_dir), reason=str(exc)
        ) from exc
    try:
        program, readonly = _program(spec)
        is_root = os.name == "posix" and os.geteuid() == 0
        job = Job(
            spec, str(folder.path), program, readonly, build_env(spec, str(folder.path)), is_root
        )
        command: Command = module.command(job)
        proc, cgroup, cancelled = await spawn(spec, folder, command, is_root, module)
        running = Running(proc, described, folder, cgroup, command, spec)
        if cancelled:  # the caller gave up while the program was starting: end it our way
            await running.stop()
            raise asyncio.CancelledError
        return running
    except BaseException:
        folder.remove()
        raise
