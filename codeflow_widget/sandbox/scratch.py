"""The throwaway run folder: a copy of the validated files, the only place a program may write.

The program never runs in the project folder itself, so whatever it writes (a ``pygame.py`` that
shadows the real one, a rewritten ``main.py`` or ``run.ipynb``) is gone when the run ends. Only
regular files and folders are copied: a symlink in the project is skipped, never followed, so it
cannot pull a file from outside the project into the run.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

PREFIX = "codeflow-run-"
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git"}


class RunFolder:
    """A fresh folder holding a copy of ``source_dir``; ``remove()`` deletes it completely."""

    def __init__(self, source_dir: Path, max_bytes: int) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-")).resolve()
        self.skipped: list[str] = []
        try:
            self._copy(Path(source_dir), max_bytes)
        except BaseException:
            self.remove()
            raise

    def _copy(self, source: Path, max_bytes: int) -> None:
        total = 0
        for root, dirs, files in os.walk(source, followlinks=False):
            rel = Path(root).relative_to(source)
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and self._plain_dir(root, d, rel)]
            for name in dirs:
                (self.path / rel / name).mkdir()
            for name in files:
                src = os.path.join(root, name)
                info = os.lstat(src)
                if not stat.S_ISREG(info.st_mode):  # symlinks, fifos, devices: never copied
                    self.skipped.append(str(rel / name))
                    continue
                total += info.st_size
                if total > max_bytes:
                    raise OSError(f"project larger than {max_bytes} bytes")
                shutil.copyfile(src, self.path / rel / name, follow_symlinks=False)

    def _plain_dir(self, root: str, name: str, rel: Path) -> bool:
        if os.path.islink(os.path.join(root, name)):
            self.skipped.append(str(rel / name))
            return False
        return True

    def size(self, seen_from: Path | None = None, stop_after: int | None = None) -> tuple[int, int]:
        """(bytes, entries) in the folder, without following links.

        ``seen_from`` is the folder as the program sees it, when that differs from ours (under
        bubblewrap the run folder is a tmpfs in the sandbox's own mount namespace, reachable at
        ``/proc/<pid>/root/<path>``). Counting stops once ``stop_after`` entries are seen, so a
        folder stuffed with files can't make the check itself slow.
        """
        total = count = 0
        for root, dirs, files in os.walk(seen_from or self.path, followlinks=False):
            for name in files + dirs:
                count += 1
                try:
                    total += os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    pass
                if stop_after is not None and count > stop_after:
                    return total, count
        return total, count

    def remove(self) -> None:
        """Delete the folder, even parts the program made read-only."""

        remove_tree(self.path)


def remove_tree(path: Path) -> None:
    """``rmtree`` that unlocks read-only folders; never follows a link while doing so."""

    def unlock(func, target, _exc):
        try:
            for item in (os.path.dirname(target), target):
                if not os.path.islink(item):  # chmod follows links: never out of the folder
                    os.chmod(item, stat.S_IRWXU)
            func(target)
        except OSError:
            pass

    shutil.rmtree(path, onerror=unlock)


def sweep_orphans() -> None:
    """Remove run folders left by a caller that died (kill -9 leaves no time to clean up)."""
    base = Path(tempfile.gettempdir())
    for folder in base.glob(PREFIX + "*-*"):
        pid = folder.name[len(PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)) and not folder.is_symlink():
            remove_tree(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
