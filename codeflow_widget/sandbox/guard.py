"""The inner seatbelt: ``python guard.py [wrapper.py] main.py`` keeps a program inside its folder.

The sandbox launcher is the barrier; this audit hook (PEP 578), installed before the program
starts, is a second line that also works where no mechanism does. It refuses, with a
``PermissionError`` the learner can read:

- writing, creating, deleting, renaming, linking, chmod/chown/utime outside the working folder —
  also through ``dir_fd=`` and descriptor arguments (resolved through ``/proc/self/fd``), through
  ``sqlite3.connect`` and ``os.mknod``/``os.mkfifo``, and opening a directory outside (the way to
  get a ``dir_fd``); a symlink whose target lies outside;
- running commands: ``subprocess``, ``os.system``/``exec*``/``spawn*``/``fork``, and the routes
  around ``subprocess.Popen``'s own event (``_posixsubprocess.fork_exec``, so spawn-context
  process pools and ``concurrent.futures`` too); only fontconfig's ``fc-list``/``fc-match`` run,
  matched by their full resolved path, never by name;
- the network: non-unix sockets, ``connect``/``bind``/``sendto``/``sendmsg``, name lookups;
- native code: ``ctypes``/``_ctypes`` libraries and symbols (on Windows only the DPI calls);
- switching the hook off: ``__code__``/``__defaults__`` of functions, ``gc.get_objects`` and
  friends, and re-importing a module whose function the guard wrapped. The hook's own state and
  helpers live in default arguments (immutable, C functions), so editing this module's globals
  through frames changes nothing.

This file must not import anything from codeflow_widget: it runs in the learner's interpreter
with only the standard library. It stays one file, over the house limit of 300 lines, on
purpose. The launcher could expose a folder (it does for the capture shim, ``play/capture/``),
but the guard is the one piece that must hold against the program it runs: everything the hook
uses is bound into its default arguments before the program starts, and a module per job would
put those parts in ``sys.modules``, one ``import`` away from the program, and make the reviewer
read several files to see that nothing of the hook is reachable.
"""

from __future__ import annotations

import os
import runpy
import socket
import stat
import sys

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# event -> (path index, dir_fd index or None) for every path the event changes
CHANGES = {
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.mkdir": ((0, 2),),
    "os.rename": ((0, 2), (1, 3)),
    "os.replace": ((0, 2), (1, 3)),
    "os.truncate": ((0, None),),
    "os.link": ((0, 2), (1, 3)),
    "os.symlink": ((1, 2),),
    "os.chmod": ((0, 2),),
    "os.lchmod": ((0, None),),
    "os.chown": ((0, 3),),
    "os.utime": ((0, 3),),
    "os.chflags": ((0, None),),
    "os.lchflags": ((0, None),),
    "os.setxattr": ((0, None),),
    "os.removexattr": ((0, None),),
    "shutil.rmtree": ((0, 1),),
    "shutil.move": ((0, None), (1, None)),
    "shutil.copyfile": ((1, None),),
    "shutil.copymode": ((1, None),),
    "shutil.copystat": ((1, None),),
    "shutil.copytree": ((1, None),),
    "shutil.chown": ((0, None),),
    "shutil.make_archive": ((0, None),),
    "shutil.unpack_archive": ((1, None),),
}
ALWAYS_BLOCKED = frozenset({
    "os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.startfile", "os.kill", "os.killpg",
    "os.fork", "os.forkpty", "_winapi.CreateProcess", "webbrowser.open", "socket.connect",
    "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "socket.gethostname",
    "ctypes.cdata", "ctypes.cdata/buffer", "gc.get_objects", "gc.get_referrers",
    "gc.get_referents", "sys.remote_exec", "sys.settrace", "sys.setprofile",
})  # fmt: skip
TAMPER_NAMES = frozenset({"__code__", "__defaults__", "__kwdefaults__", "__globals__"})
WRAPPED_MODULES = frozenset({"_posixsubprocess", "posix", "nt", "_ctypes"})
WINDOWS_DLLS = frozenset({"user32", "shcore", "user32.dll", "shcore.dll"})
WINDOWS_SYMBOLS = frozenset({"SetProcessDPIAware", "SetProcessDpiAwareness",
                             "SetProcessDpiAwarenessContext", "GetSystemMetrics"})  # fmt: skip
# pygame.font.SysFont asks fontconfig for the installed fonts on Linux and macOS.
COMMANDS = ("fc-list", "fc-match")
SYSTEM_PATH = ("/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin", "/opt/local/bin")


def blocked(what: str) -> PermissionError:
    return PermissionError(f"codeflow 安全限制 / safety guard: {what}")


def resolve(path, base=None, _lstat=os.lstat, _readlink=os.readlink, _islnk=stat.S_ISLNK,
            _fspath=os.fsdecode, _sep=os.sep, _getcwd=os.getcwd):  # fmt: skip
    """The real absolute path, symlinks followed, with C functions only (see the docstring)."""
    text = _fspath(path)
    if not text.startswith(_sep):
        text = (base or _getcwd()) + _sep + text
    parts: list[str] = []
    pending = text.split(_sep)[::-1]
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        candidate = _sep + _sep.join([*parts, part])
        try:
            is_link = _islnk(_lstat(candidate).st_mode)
        except OSError:
            is_link = False
        if is_link and hops < 40:
            hops += 1
            target = _readlink(candidate)
            if target.startswith(_sep):
                parts = []
            pending.extend(target.split(_sep)[::-1])
            continue
        parts.append(part)
    return _sep + _sep.join(parts)


def fd_path(fd, _readlink=os.readlink, _platform=sys.platform):
    """The path an open descriptor refers to, or None when this system cannot say."""
    if _platform.startswith("linux"):
        try:
            return _readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return None
    if _platform == "darwin":
        import fcntl

        try:
            raw = fcntl.fcntl(fd, fcntl.F_GETPATH, bytes(1024))
            return raw.split(b"\0", 1)[0].decode()
        except (OSError, AttributeError):
            return None
    return None


def inside(path, dir_fd=None, _root=None, _resolve=resolve, _fd_path=fd_path,
           _devnull=os.devnull, _nt=os.name == "nt", _realpath=os.path.realpath):  # fmt: skip
    """True when ``path`` (relative to ``dir_fd`` if given, or a descriptor) is in the folder."""
    try:
        if isinstance(path, int):
            real = _fd_path(path)
            if real is None:
                return False
            if real.startswith(("pipe:", "socket:", "anon_inode:", "/dev/")):
                return True  # a pipe, socket or device already open: the frame channel, stdout
        elif _nt:
            real = _realpath(path)
        else:
            base = _fd_path(dir_fd) if isinstance(dir_fd, int) else None
            if isinstance(dir_fd, int) and base is None:
                return False
            real = _resolve(path, base)
    except (TypeError, ValueError, OSError):
        return False
    return real == _root or real.startswith(_root + ("\\" if _nt else "/")) or real == _devnull


def _command_paths(_resolve=resolve, _isfile=os.path.isfile):
    found = set()
    for folder in SYSTEM_PATH:
        for name in COMMANDS:
            if _isfile(folder + "/" + name):
                found.add(_resolve(folder + "/" + name))
    return frozenset(found)


def make_hook(root: str):
    """The audit hook for ``root``: everything it needs is bound here, as default arguments.

    ``mine`` holds the ids of the guard's functions, whose defaults may not even be read; it is
    reachable only through those defaults (and gc, which is refused).
    """
    mine: set[int] = set()
    commands = _command_paths()
    unix = getattr(socket, "AF_UNIX", None)

    def allowed_command(candidates, env_path=None, cwd=None, _allowed=commands,
                        _resolve=resolve, _exists=os.path.exists, _sep=os.sep):  # fmt: skip
        if not candidates:
            return False
        for candidate in candidates:
            text = os.fsdecode(candidate)
            if _sep not in text:
                dirs = (env_path or "/usr/bin:/bin").split(":")
                matches = [d + "/" + text for d in dirs if _exists(d + "/" + text)]
                if not matches or any(_resolve(m) not in _allowed for m in matches[:1]):
                    return False
            elif _exists(text) or not text.startswith(_sep):
                if _resolve(text, cwd) not in _allowed:
                    return False
        return True

    def check(event, args, _root=root, _inside=inside, _changes=CHANGES,
              _always=ALWAYS_BLOCKED, _tamper=TAMPER_NAMES, _wrapped=WRAPPED_MODULES,
              _allowed_command=allowed_command, _write=WRITE_FLAGS, _isdir=os.path.isdir,
              _nt=os.name == "nt", _unix=unix,
              _dirname=os.path.dirname, _resolve=resolve, _blocked=blocked, _fsdecode=os.fsdecode,
              _environ=os.environ, _isinstance=isinstance, _len=len, _callable=callable,
              _list=list, _str=str, _any=any, _dict=dict, _mine=mine, _dlls=WINDOWS_DLLS,
              _symbols=WINDOWS_SYMBOLS, _id=id):  # fmt: skip
        if event == "open":
            path, mode, flags = args
            if path is None:
                return
            writing = (_isinstance(mode, str) and _any(c in mode for c in "wax+")) or bool(
                (flags or 0) & _write
            )
            if writing and not _inside(path, _root=_root):
                raise _blocked(f"不能写项目文件夹以外的文件 / writing outside the project: {path}")
            if mode is None and not _isinstance(path, int) and _isdir(path):
                if not _inside(path, _root=_root):  # a dir_fd outside would reopen every door
                    raise _blocked(f"不能打开项目以外的文件夹 / opening a folder outside: {path}")
        elif event in _changes:
            for index, fd_index in _changes[event]:
                path = args[index] if index < _len(args) else None
                dir_fd = args[fd_index] if fd_index is not None and fd_index < _len(args) else None
                if path is not None and not _inside(path, dir_fd, _root=_root):
                    raise _blocked(
                        f"不能修改项目文件夹以外的文件 / changing outside ({event}): {path}"
                    )
            if event == "os.symlink" and not _isinstance(args[1], int):
                link_dir = _dirname(_resolve(args[1]))
                if not _inside(_resolve(args[0], link_dir), _root=_root):
                    raise _blocked(f"不能链接到项目以外 / a link out of the project: {args[0]}")
        elif event == "sqlite3.connect":
            database = _fsdecode(args[0]) if args and args[0] is not None else ":memory:"
            if database.startswith("file:"):
                database, _, query = database[5:].partition("?")
                if "mode=memory" in query:
                    return
            if database not in ("", ":memory:") and not _inside(database, _root=_root):
                raise _blocked(f"不能在项目以外建数据库 / a database outside: {database}")
        elif event == "subprocess.Popen":
            executable, argv, cwd, env = (_list(args) + [None] * 4)[:4]
            first = executable or (argv[0] if argv else "")
            path = (env or _environ).get("PATH") if _isinstance(env or _environ, _dict) else None
            if not _allowed_command([first], path, cwd):
                raise _blocked(f"不能运行系统命令 / running commands ({_fsdecode(first)})")
        elif event in _always or event.startswith(("os.exec", "os.spawn")):
            raise _blocked(f"不允许的操作 / not allowed ({event})")
        elif event == "socket.__new__":
            if _len(args) > 1 and args[1] not in (_unix, -1):
                raise _blocked("不能使用网络 / no network")
        elif event == "object.__setattr__" or event == "object.__getattr__":
            if _len(args) > 1 and args[1] in _tamper and _callable(args[0]):
                # No function's code may be swapped; the guard's own may not even be read.
                swap = event == "object.__setattr__" and args[1] == "__code__"
                if swap or _id(args[0]) in _mine:
                    raise _blocked(f"不能改写函数 / rewriting functions ({args[1]})")
        elif event == "import" and args and args[0] in _wrapped:
            raise _blocked(f"不能重新导入 / re-importing {args[0]}")
        elif event in ("ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle"):
            name = args[-1] if args else None
            if not _nt:
                raise _blocked(f"不能调用本机代码 / native code ({event})")
            if event == "ctypes.dlopen" and _str(name).lower() not in _dlls:
                raise _blocked(f"不能调用本机代码 / native code ({name})")
            if event != "ctypes.dlopen" and name not in _symbols:
                raise _blocked(f"不能调用本机代码 / native code ({name})")

    mine.update(id(f) for f in (check, allowed_command, resolve, inside, fd_path))
    # Any exception from ``check`` (even one from arguments it did not expect) aborts the event.
    return check, allowed_command, mine


def wrap_native(root: str, allowed_command, mine: set[int]) -> None:
    """Routes with no audit event of their own: fork_exec, mknod, mkfifo."""
    try:
        import _posixsubprocess
    except ImportError:
        _posixsubprocess = None
    if _posixsubprocess is not None:

        def fork_exec(*args, _real=_posixsubprocess.fork_exec, _ok=allowed_command):
            executables = args[1] if len(args) > 1 else None
            cwd = args[4] if len(args) > 4 else None
            if not _ok(list(executables or []), None, cwd):
                raise blocked("不能运行系统命令 / running commands (fork_exec)")
            return _real(*args)

        _posixsubprocess.fork_exec = fork_exec
        mine.add(id(fork_exec))
    posix = sys.modules.get("posix")
    for name in ("mknod", "mkfifo"):
        real = getattr(os, name, None)
        if real is None:
            continue

        def make(*args, _real=real, _name=name, _root=root, _inside=inside, **kw):
            path = args[0] if args else kw.get("path")
            mode = args[1] if len(args) > 1 else kw.get("mode", 0o600)
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                raise blocked(f"不能创建设备文件 / device files ({_name})")
            if not _inside(path, kw.get("dir_fd"), _root=_root):
                raise blocked(f"不能修改项目文件夹以外的文件 / changing outside ({_name}): {path}")
            return _real(*args, **kw)

        mine.add(id(make))
        setattr(os, name, make)
        if posix is not None:
            setattr(posix, name, make)


def soften_headless_cursors() -> None:
    """Under SDL's dummy video driver pygame's cursor calls do nothing instead of raising.

    There every ``pygame.mouse.set_cursor``/``set_system_cursor`` raises ("Error while
    creating system cursor", "Cursors are not currently supported") although it works on a
    real display, so a game with a hand cursor failed its headless trial run and the
    in-notebook player. A finder wraps pygame's own loader: once pygame has loaded, only
    those cursor errors are swallowed; bad arguments still raise.
    """
    import importlib.abc
    import importlib.machinery

    def quiet(real):
        def call(*args, **kwargs):
            try:
                return real(*args, **kwargs)
            except Exception as exc:
                if type(exc).__name__ == "error" and "ursor" in str(exc):
                    return None
                raise

        return call

    class HeadlessCursors(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name != "pygame":
                return None
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                mouse = getattr(module, "mouse", None)
                for attr in ("set_cursor", "set_system_cursor"):
                    if callable(getattr(mouse, attr, None)):
                        setattr(mouse, attr, quiet(getattr(mouse, attr)))

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, HeadlessCursors())


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit("usage: python guard.py main.py")
    root = resolve(os.getcwd())
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path[0] = root
    if os.environ.get("SDL_VIDEODRIVER") == "dummy":
        soften_headless_cursors()
    hook, allowed_command, mine = make_hook(root)
    wrap_native(root, allowed_command, mine)
    sys.addaudithook(hook)
    del hook, allowed_command, mine  # nothing of the guard stays in this frame's locals
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
