"""Fixtures for the sandbox tests: the mechanisms to force, and an arena of things to protect.

The arena holds a canary tree and a fake home folder (with a secret file) outside the run folder,
secrets in this process's environment (one named like a key, one like a token, one with an
innocent name), a project folder, and UDP/TCP/unix listeners on this machine that must never
hear from a sandboxed program. ``arena.check(outcome)`` asserts every promise at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest

from codeflow_widget.sandbox.launcher import _probe
from tests.play.procs import run_cgroups

LINUX_MECHANISMS = ["bubblewrap", "landlock+seccomp"]
HERE = Path(__file__).parent


def require_active(name: str) -> None:
    """Fail (never skip) when a Linux mechanism does not work on this machine."""
    reason = _probe(name)
    assert reason is None, f"sandbox mechanism {name} is not active here: {reason}"


@pytest.fixture(params=LINUX_MECHANISMS)
def mechanism(request) -> str:
    require_active(request.param)
    return request.param


def snapshot(root: Path) -> dict[str, object]:
    """Every entry under ``root`` with type, mode, size, mtime and content hash."""
    state: dict[str, object] = {}
    for path in sorted([root, *root.rglob("*")]):
        info = path.lstat()
        digest = ""
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        link = os.readlink(path) if path.is_symlink() else ""
        state[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, info.st_uid, digest, link)
    return state


def listing(root: Path) -> dict[str, int]:
    return {p.name: p.lstat().st_mtime_ns for p in root.iterdir()}


def leftovers(marker: str) -> list[int]:
    """Processes whose environment or command line mentions this test's run folders."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        for part in ("environ", "cmdline"):
            try:
                data = Path(f"/proc/{entry}/{part}").read_bytes()
            except OSError:
                continue
            if marker.encode() in data:
                found.append(int(entry))
                break
    return found


class Arena:
    def __init__(self, root: Path, monkeypatch) -> None:
        self.root = root
        self.canary = root / "canary"
        (self.canary / "sub").mkdir(parents=True)
        (self.canary / "a.txt").write_text("canary a\n", encoding="utf-8")
        (self.canary / "sub" / "b.txt").write_text("canary b\n", encoding="utf-8")
        self.file_secret = "file-secret-" + secrets.token_hex(12)
        (self.canary / "secret.txt").write_text(self.file_secret, encoding="utf-8")
        self.home = root / "home"
        self.home.mkdir()
        self.home_secret = "netrc-password-" + secrets.token_hex(12)
        (self.home / ".netrc").write_text(
            f"machine api.example.com login me password {self.home_secret}\n", encoding="utf-8"
        )
        (self.home / ".bashrc").write_text("# bashrc\n", encoding="utf-8")
        self.env_secrets = {
            "MINIMAX_API_KEY": "sk-" + secrets.token_urlsafe(32),
            "GITHUB_TOKEN": "ghp_" + secrets.token_hex(18),
            "CI_DEPLOY": secrets.token_hex(20),  # an innocent name: only its shape gives it away
        }
        for name, value in self.env_secrets.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("HOME", str(self.home))
        self.project = root / "projects" / "game"
        self.project.mkdir(parents=True)
        (root / "projects" / "codeflow.json").write_text(
            '{"provider": "minimax"}', encoding="utf-8"
        )
        self.site = Path(sysconfig.get_paths()["purelib"])
        self.stdlib = Path(sysconfig.get_paths()["stdlib"])
        self._listen()
        self.outside_files = [
            Path(tempfile.gettempdir()) / "codeflow_left_in_tmp.txt",
            Path("/etc/codeflow_owned"),
        ]
        for path in self.outside_files:
            path.unlink(missing_ok=True)

    def _listen(self) -> None:
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        self.udp6.bind(("::1", self.udp.getsockname()[1]))
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(8)
        self.abstract = "codeflow-test-" + secrets.token_hex(6)
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + self.abstract)
        self.unix.listen(8)
        self.unix_path = str(self.root / "listener.sock")
        self.unix2 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix2.bind(self.unix_path)
        self.unix2.listen(8)
        for s in (self.udp, self.udp6, self.tcp, self.unix, self.unix2):
            s.setblocking(False)

    def install(self, program: Path, site: Path | None = None) -> None:
        """The attack becomes the project's main.py, with its helpers and targets beside it.

        ``site`` stands in for site-packages as the attack's target (for runs without a
        mechanism, where a failing guard must not reach the real one)."""
        (self.project / "main.py").write_text(program.read_text(encoding="utf-8"), encoding="utf-8")
        (self.project / "attacklib.py").write_text(
            (HERE / "attacklib.py").read_text(encoding="utf-8"), encoding="utf-8"
        )
        targets = {
            "CANARY": str(self.canary),
            "HOME": str(self.home),
            "PROJECT": str(self.project),
            "CALLER": os.getpid(),
            "UDP_PORT": self.udp.getsockname()[1],
            "TCP_PORT": self.tcp.getsockname()[1],
            "ABSTRACT": self.abstract,
            "UNIX_PATH": self.unix_path,
            "SITE": str(site or self.site),
            "TMPROOT": tempfile.gettempdir(),
        }
        lines = [f"{k} = {json.dumps(v)}" for k, v in targets.items()]
        (self.project / "targets.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (self.project / "run.ipynb").write_text('{"cells": []}', encoding="utf-8")
        self.before = self.state()
        # run folders other tests of this process may still hold (a session a test abandoned)
        self.runs_before = set(Path(tempfile.gettempdir()).glob(f"codeflow-run-{os.getpid()}-*"))

    def state(self) -> dict[str, object]:
        return {
            "canary": snapshot(self.canary),
            "home": snapshot(self.home),
            "project": snapshot(self.project),
            "site": listing(self.site),
            "stdlib": listing(self.stdlib),
            "json": hashlib.sha256((self.stdlib / "json" / "__init__.py").read_bytes()).hexdigest(),
            "outside": [p.exists() for p in self.outside_files],
        }

    def heard(self) -> list[str]:
        """What the listeners received: must stay empty."""
        got = []
        for name, sock in (("udp", self.udp), ("udp6", self.udp6)):
            try:
                got.append(f"{name}: {sock.recv(100)!r}")
            except BlockingIOError:
                pass
        for name, sock in (("tcp", self.tcp), ("abstract", self.unix), ("unix", self.unix2)):
            try:
                sock.accept()
                got.append(f"{name}: connection")
            except BlockingIOError:
                pass
        return got

    def secret_forms(self) -> list[str]:
        values = [*self.env_secrets.values(), self.file_secret, self.home_secret]
        forms = []
        for value in values:
            forms += [value, value.encode().hex(), value[::-1]]
        return forms

    def check(self, outcome) -> None:
        """Every promise of the sandbox, for one finished run."""
        assert "ATTACK-SUCCEEDED" not in outcome.output, outcome.output
        leaked = [form for form in self.secret_forms() if form in outcome.output]
        assert not leaked, outcome.output
        assert self.heard() == []
        after = self.state()
        for key in self.before:
            assert after[key] == self.before[key], f"{key} changed outside the run folder"
        marker = f"codeflow-run-{os.getpid()}-"
        for _ in range(100):  # SIGKILLed processes take a moment to be reaped
            alive = leftovers(marker)
            if not alive:
                break
            time.sleep(0.05)
        assert alive == [], f"processes left over: {alive}"
        left = set(Path(tempfile.gettempdir()).glob(marker + "*")) - self.runs_before
        assert not left, f"run folder left behind: {left}"
        for _ in range(100):  # the launcher removes its cgroup once the kernel has reaped the tree
            stale = run_cgroups(os.getpid())
            if not stale:
                break
            time.sleep(0.05)
        assert stale == [], "a pids cgroup left behind"

    def close(self) -> None:
        for s in (self.udp, self.udp6, self.tcp, self.unix, self.unix2):
            s.close()


@pytest.fixture
def arena(tmp_path, monkeypatch):
    made = Arena(tmp_path, monkeypatch)
    yield made
    made.close()


def python() -> str:
    return sys.executable
