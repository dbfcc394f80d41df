"""The AST half of validation: what one parsed Python file imports and calls.

``lint_python`` walks a parsed module once and reports ``Issue`` tuples — a message
key such as ``"dangerous_call.command"``, a 1-based line and the parameters for the
message — plus the approved third-party modules the file really uses. It knows
nothing about files on disk or message texts: ``validate.py`` turns issues into
bilingual ``Finding`` objects. Names are resolved through the file's own imports,
so ``import os as o; o.system(...)`` and ``from os import system`` are caught too.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from typing import NamedTuple

STDLIB: frozenset[str] = frozenset(sys.stdlib_module_names)

# Standard-library modules a beginner game has no business importing (unless a
# teacher puts them in ``allowed_imports`` on purpose).
DANGEROUS_MODULES = frozenset(
    "subprocess socket shutil ctypes multiprocessing http urllib ftplib smtplib telnetlib "
    "webbrowser winreg pty".split()
)
POSIX_MODULES = frozenset("fcntl termios tty pwd grp resource curses readline posix syslog".split())
_COMMAND = {
    "os.system",
    "os.popen",
    "os.kill",
    "os.killpg",
    "os.startfile",
    "os.posix_spawn",
    "os.posix_spawnp",
}
_DELETE = {"os.remove", "os.unlink", "os.rmdir", "os.removedirs", "shutil.rmtree"}
_DYNAMIC = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "importlib.import_module",
    "importlib.__import__",
}
_DELETE_METHODS = {"unlink", "rmdir", "rmtree"}
POSIX_CALLS = frozenset(
    f"os.{name}"
    for name in "fork forkpty getuid geteuid getgid getegid setuid setgid setsid killpg getpgid "
    "setpgid nice wait wait3 wait4 mkfifo getloadavg uname".split()
)
POSIX_SIGNALS = frozenset(
    "SIGKILL SIGALRM SIGHUP SIGUSR1 SIGUSR2 SIGCHLD SIGPIPE SIGQUIT SIGSTOP SIGTSTP SIGCONT "
    "alarm pause setitimer getitimer siginterrupt".split()
)
POSIX_PATH_PREFIXES = ("/tmp", "/dev/", "/home/", "/Users/")
_CLEAR_WORDS = {"clear", "cls"}
_ANSI = "\x1b["
_MAIN_GUARD = re.compile(r"^if\s+__name__\s*==\s*['\"]__main__['\"]\s*:", re.M)


class Issue(NamedTuple):
    key: str  # "<finding code>" or "<finding code>.<variant>"
    line: int
    params: dict[str, str]


def top_name(module: str) -> str:
    return module.split(".", 1)[0]


def has_main_guard(source: str, tree: ast.Module | None = None) -> bool:
    """True when the module has ``if __name__ == "__main__":`` at its top level."""
    if tree is None:
        return bool(_MAIN_GUARD.search(source))
    for node in tree.body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Compare)
            and len(node.test.ops) == 1
        ):
            sides = [node.test.left, *node.test.comparators]
            names = {s.id for s in sides if isinstance(s, ast.Name)}
            consts = {s.value for s in sides if isinstance(s, ast.Constant)}
            if (
                isinstance(node.test.ops[0], ast.Eq)
                and names == {"__name__"}
                and consts == {"__main__"}
            ):
                return True
    return False


def lint_python(
    tree: ast.Module, *, project_modules: Iterable[str], allowed: Iterable[str]
) -> tuple[list[Issue], set[str]]:
    """Check one parsed file; return (issues, approved third-party modules used)."""
    return _Linter(tree, set(project_modules), set(allowed)).run()


class _Linter:
    def __init__(self, tree: ast.Module, project_modules: set[str], allowed: set[str]):
        self.tree = tree
        self.project = project_modules
        self.allowed = allowed
        self.issues: dict[tuple[str, int, str], Issue] = {}
        self.used: set[str] = set()
        self.aliases: dict[str, str] = {}  # local name → qualified name
        self.star_modules: list[str] = []
        self.parents: dict[int, ast.AST] = {}
        self.local_defs: set[str] = set()

    def add(self, key: str, node: ast.AST | int, **params: str) -> None:
        line = node if isinstance(node, int) else getattr(node, "lineno", 0)
        ident = (key, line, params.get("name", "") + params.get("module", ""))
        self.issues.setdefault(ident, Issue(key, line, params))

    def run(self) -> tuple[list[Issue], set[str]]:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.local_defs.add(node.name)
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                self.local_defs.add(node.id)
            elif isinstance(node, ast.arg):
                self.local_defs.add(node.arg)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self.check_import(node)
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                if not isinstance(self.parents.get(id(node)), ast.Attribute):  # whole chains only
                    self.check_reference(node)
            if isinstance(node, ast.Call):
                self.check_encoding(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.check_string(node)
        return sorted(self.issues.values(), key=lambda i: i.line), self.used

    # -- imports -----------------------------------------------------------------
    def check_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or top_name(alias.name)
                self.aliases[bound] = alias.name if alias.asname else bound
                self.check_module(alias.name, node)
            return
        if node.level:  # relative import of the project's own modules
            return
        module = node.module or ""
        for alias in node.names:
            if alias.name == "*":
                self.star_modules.append(module)
            else:
                self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
        self.check_module(module, node)

    def check_module(self, module: str, node: ast.AST) -> None:
        top = top_name(module)
        if top in self.project:
            return
        if top in self.allowed and top not in STDLIB:
            self.used.add(top)
        elif top in DANGEROUS_MODULES and top not in self.allowed:
            self.add("disallowed_import.dangerous", node, module=module)
        elif top in POSIX_MODULES:
            self.add("posix_only.module", node, module=module)
        elif top not in STDLIB and top not in self.allowed:
            self.add("disallowed_import", node, module=module)

    # -- names and calls ---------------------------------------------------------
    def qualify(self, node: ast.AST) -> str | None:
        """``o.system`` → ``"os.system"`` after ``import os as o``; None if not a plain chain."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        if node.id in self.aliases:
            base = self.aliases[node.id]
        elif not parts and node.id not in self.local_defs:
            base = node.id  # a builtin, or something a star import brought in
            for module in self.star_modules:
                if f"{module}.{node.id}" in _COMMAND | _DELETE | POSIX_CALLS:
                    base = f"{module}.{node.id}"
        elif parts:
            base = node.id
        else:
            return None
        name = ".".join([base, *reversed(parts)])
        return name.removeprefix("builtins.")

    def check_reference(self, node: ast.Name | ast.Attribute) -> None:
        call = self.parents.get(id(node))
        call = call if isinstance(call, ast.Call) and call.func is node else None
        name = self.qualify(node)
        if name in ("os.system", "os.popen") and call is not None and _clear_words(call):
            self.add("clear_screen", node, name=name)
        elif name in _COMMAND or (name or "").startswith(("os.exec", "os.spawn")):
            self.add("dangerous_call.command", node, name=name)
        elif name in _DELETE:
            self.add("dangerous_call.delete", node, name=name)
        elif name in _DYNAMIC:
            self.add("dangerous_call.dynamic", node, name=name)
        elif call is not None and isinstance(node, ast.Attribute) and node.attr in _DELETE_METHODS:
            self.add("dangerous_call.delete", node, name=f".{node.attr}")
        elif name in POSIX_CALLS:
            self.add("posix_only", node, name=name)
        elif name and name.startswith("signal.") and name.split(".")[1] in POSIX_SIGNALS:
            self.add("posix_signal", node, name=name)

    def check_encoding(self, call: ast.Call) -> None:
        if any(kw.arg is None for kw in call.keywords):  # **kwargs: cannot tell
            return
        keywords = {kw.arg: kw.value for kw in call.keywords}
        func = call.func
        name = self.qualify(func)
        if name in ("open", "io.open"):
            label, mode_pos, enc_pos = "open()", 1, 3
        elif isinstance(func, ast.Attribute) and func.attr in ("open", "read_text", "write_text"):
            root = func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in self.aliases:
                return  # gzip.open, wave.open, importlib.resources.read_text …: not Path methods
            label = f".{func.attr}()"
            mode_pos, enc_pos = {"open": (0, 2), "read_text": (None, 0), "write_text": (None, 1)}[
                func.attr
            ]
        else:
            return
        if "encoding" in keywords or len(call.args) > enc_pos:
            return
        if mode_pos is not None:
            mode = keywords.get("mode", call.args[mode_pos] if len(call.args) > mode_pos else None)
            if mode is not None and not (
                isinstance(mode, ast.Constant) and isinstance(mode.value, str)
            ):
                return  # a mode computed at run time: cannot tell
            if mode is not None and "b" in mode.value:
                return
        self.add("missing_encoding", call, name=label)

    def check_string(self, node: ast.Constant) -> None:
        parent = self.parents.get(id(node))
        if isinstance(parent, ast.Expr):  # a docstring
            return
        if isinstance(parent, ast.JoinedStr) and parent.values[0] is not node:
            starts_path = False  # the middle of an f-string is not the start of a path
        else:
            starts_path = node.value.startswith(POSIX_PATH_PREFIXES)
        if starts_path:
            self.add("posix_path", node, name=node.value[:60])
        elif _escapes_project(node.value):
            self.add("path_escape", node, name=node.value[:60])
        if _ANSI in node.value:
            self.add("ansi_escape", node)


_PARENT_SEGMENT = re.compile(r"(^|[/\\])\.\.[/\\]|[/\\]\.\.$")  # "../x", "a/../../x", "x/.."
_ABSOLUTE = re.compile(r"^([A-Za-z]:[/\\]|[/\\]{2}|~[/\\])")


def _escapes_project(text: str) -> bool:
    """A path literal that climbs out of the project folder ("../x") or is absolute ("C:\\x", "~/x")."""
    return (
        len(text) < 260
        and "\n" not in text
        and bool(_PARENT_SEGMENT.search(text) or _ABSOLUTE.match(text))
    )


def _clear_words(call: ast.Call) -> bool:
    """``os.system("cls")`` / ``os.system("cls" if os.name == "nt" else "clear")``."""
    if not call.args:
        return False
    words = [
        n.value.strip()
        for n in ast.walk(call.args[0])
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and n.value.strip() not in ("nt", "posix")
    ]
    return bool(words) and set(words) <= _CLEAR_WORDS
