"""What a run leaves in the system: a pid's live descendants in /proc (no psutil), those that run
the capture shim, and the launcher's pids cgroups."""

from __future__ import annotations

from pathlib import Path

SHIM_MARK = "play/capture "  # python …/play/capture main.py


def _table() -> tuple[dict[int, int], dict[int, str]]:
    parents: dict[int, int] = {}
    cmdlines: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] == "Z":
            continue  # a zombie is already dead; its parent just has not reaped it yet
        parents[int(entry.name)] = int(fields[1])
        cmdlines[int(entry.name)] = cmd
    return parents, cmdlines


def descendants(ancestor_pid: int, needle: str) -> list[int]:
    """Live processes under ``ancestor_pid`` whose command line contains ``needle``."""
    parents, cmdlines = _table()
    found = []
    for pid, cmd in cmdlines.items():
        if needle not in cmd:
            continue
        up = parents.get(pid)
        while up and up != ancestor_pid:
            up = parents.get(up)
        if up == ancestor_pid:
            found.append(pid)
    return sorted(found)


def game_processes(ancestor_pid: int, roots_only: bool = False) -> list[int]:
    """Live processes under ``ancestor_pid`` whose command line runs the capture shim.

    With ``roots_only``, one per game: the sandbox wraps the game in processes of its own
    (bubblewrap's), whose command lines name the shim too.
    """
    found = descendants(ancestor_pid, SHIM_MARK)
    if not roots_only:
        return found
    parents, cmdlines = _table()
    return [pid for pid in found if SHIM_MARK not in cmdlines.get(parents.get(pid, 0), "")]


def run_cgroups(creator_pid: int) -> list[Path]:
    """The launcher's pids cgroups made by ``creator_pid`` (none where cgroups can't be made)."""
    root = Path("/sys/fs/cgroup/pids")
    return sorted(root.glob(f"codeflow-{creator_pid}-*")) if root.is_dir() else []
