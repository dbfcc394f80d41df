"""Run a generated program inside its own folder: ``python guard.py main.py``.

The smoke run executes code a model wrote. Validation already refuses dangerous
imports and paths that climb out of the project, but a path can be computed at
run time. This launcher installs an audit hook (PEP 578) before the program
starts: writing, deleting or renaming anything outside the working folder, running
commands and opening network connections raise ``PermissionError``, which the
runner reports as a crash with a Chinese message. It is a seatbelt for honest
mistakes, not a sandbox against a determined attacker — that is what the static
checks and the import allow-list are for.

This file must not import anything from codeflow_widget: it runs in the
learner's interpreter with only the standard library.
"""

from __future__ import annotations

import os
import runpy
import sys

ROOT = os.path.realpath(os.getcwd())
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
PATH_EVENTS = {
    "os.remove": 1,
    "os.rmdir": 1,
    "os.mkdir": 1,
    "os.rename": 2,
    "os.replace": 2,
    "os.truncate": 1,
    "os.symlink": 2,
    "os.link": 2,
    "os.chmod": 1,
    "os.chown": 1,
    "os.utime": 1,
    "shutil.rmtree": 1,
    "shutil.move": 2,
    "shutil.copyfile": 2,
}
ALWAYS_BLOCKED = {
    "os.system",
    "os.exec",
    "os.spawn",
    "os.posix_spawn",
    "os.startfile",
    "os.kill",
    "os.killpg",
    "os.fork",
    "os.forkpty",
    "socket.connect",
    "socket.bind",
    "ctypes.dlopen",
}
# pygame.font.SysFont asks fontconfig for the installed fonts on Linux and macOS.
ALLOWED_COMMANDS = {"fc-list", "fc-match"}


def _inside(path: object) -> bool:
    if isinstance(path, int):  # a file descriptor that is already open
        return True
    try:
        real = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return real == ROOT or real.startswith(ROOT + os.sep) or real == os.devnull


def _blocked(what: str) -> PermissionError:
    return PermissionError(f"codeflow 安全限制 / safety guard: {what}")


def _hook(event: str, args: tuple) -> None:
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool(
            (flags or 0) & WRITE_FLAGS
        )
        if writing and path is not None and not _inside(path):
            raise _blocked(
                f"不能写项目文件夹以外的文件 / writing outside the project folder: {path}"
            )
    elif event in PATH_EVENTS:
        for path in args[: PATH_EVENTS[event]]:
            if path is not None and not _inside(path):
                raise _blocked(
                    f"不能修改项目文件夹以外的文件 / changing files outside the project folder ({event}): {path}"
                )
    elif event == "subprocess.Popen":
        program = os.path.basename(os.fsdecode(args[0] or (args[1][0] if args[1] else "")))
        if program not in ALLOWED_COMMANDS:
            raise _blocked(f"不能运行系统命令 / running commands ({program})")
    elif event in ALWAYS_BLOCKED:
        raise _blocked(f"不允许的操作 / not allowed ({event})")


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python guard.py main.py")
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path[0] = ROOT
    sys.addaudithook(_hook)
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
