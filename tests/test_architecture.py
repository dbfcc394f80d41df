"""The house rules between the package's parts, checked on every import statement.

Every module under ``codeflow_widget/`` is parsed and every ``import``/``from … import``
is collected — at the top, inside functions (the lazy imports that keep start-up cheap),
under ``TYPE_CHECKING`` and inside ``try`` blocks alike; relative imports are resolved
against the module's own package. The rules (design.md, "Where things live"):

- the widget imports only ``flow``, ``model`` and its own modules;
- providers never import ``widget``, ``terminal`` or ``flow``;
- the model imports nothing else of the package;
- checks never import providers;
- the Jupyter server extension (``server``) imports nothing else of the package.

The standard library and third-party packages are always allowed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = "codeflow_widget"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# part → (allowed parts, or None for "any but the forbidden"), forbidden parts
RULES: dict[str, tuple[set[str] | None, set[str]]] = {
    "widget": ({"flow", "model", "widget"}, set()),
    "providers": (None, {"widget", "terminal", "flow"}),
    "model": ({"model"}, set()),
    "checks": (None, {"providers"}),
    # runs in the Jupyter server process, not a kernel: nothing of the package's kernel side
    "server": ({"server"}, set()),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in ``source``, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target != PACKAGE:
                found.append((node.lineno, target))
                continue
            # ``from codeflow_widget import flow`` imports the part; ``__version__`` is no part
            found += [
                (node.lineno, f"{PACKAGE}.{alias.name}")
                for alias in node.names
                if (ROOT / alias.name).is_dir() or (ROOT / f"{alias.name}.py").is_file()
            ]
    return found


def part_of(module: str) -> str | None:
    """``codeflow_widget.flow.lesson`` → ``flow``; ``codeflow_widget.config`` → ``config``."""
    if not module.startswith(PACKAGE + "."):
        return None
    return module.split(".")[1]


def violations(path: Path, source: str | None = None) -> list[str]:
    module = module_name(path)
    part = part_of(module)
    if part not in RULES:
        return []
    allowed, forbidden = RULES[part]
    text = source if source is not None else path.read_text(encoding="utf-8")
    problems = []
    for line, target in imported_modules(text, module, path.name == "__init__.py"):
        other = part_of(target)
        if other is None or other == part:
            continue
        refused = (allowed is not None and other not in allowed) or other in forbidden
        if refused:
            problems.append(f"{path.relative_to(ROOT.parent)}:{line}: {part} imports {target}")
    return problems


def package_modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "lessons" not in p.relative_to(ROOT).parts)


def test_every_part_imports_only_what_the_house_rules_allow():
    problems = [problem for path in package_modules() for problem in violations(path)]
    assert problems == [], "\n".join(problems)


def test_the_rules_cover_modules_in_every_ruled_part():
    parts = {part_of(module_name(p)) for p in package_modules()}
    assert set(RULES) <= parts  # a renamed part would silently escape its rule


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        ("widget/x.py", "def f():\n    from codeflow_widget.providers import base\n", "providers"),
        ("widget/x.py", "from ..sandbox import runner\n", "sandbox"),
        ("widget/x.py", "import codeflow_widget.output.trace\n", "output"),
        ("widget/x.py", "from codeflow_widget import config\n", "config"),
        ("providers/x.py", "try:\n    from ..flow import lesson\nexcept ImportError: pass\n", "flow"),
        ("providers/offline/x.py", "from ...terminal import cli\n", "terminal"),
        ("model/x.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
         "    from codeflow_widget.config import Settings\n", "config"),
        ("checks/x.py", "async def f():\n    import codeflow_widget.providers.offline\n",
         "providers"),
    ],
)  # fmt: skip
def test_a_forbidden_import_is_caught_wherever_it_hides(where, source, expected):
    problems = violations(ROOT / where, source)
    assert len(problems) == 1 and f"{PACKAGE}.{expected}" in problems[0]


def test_allowed_imports_are_not_reported():
    source = "import json\nimport anywidget\nfrom . import stream\nfrom ..flow import lesson\n"
    source += "from codeflow_widget.model import events\n"
    assert violations(ROOT / "widget" / "x.py", source) == []
    assert violations(ROOT / "providers" / "x.py", "from ..model import errors\n") == []


INSIDE_THE_SANDBOX = ("play/capture", "sandbox/guard.py", "sandbox/mechanisms/confine.py")


def inside_the_sandbox() -> list[Path]:
    return sorted(
        p
        for p in package_modules()
        if any(str(p.relative_to(ROOT)).startswith(prefix) for prefix in INSIDE_THE_SANDBOX)
    )


def test_code_that_runs_inside_the_sandbox_imports_only_the_standard_library_and_pygame():
    """The capture shim, the seatbelt and the Landlock helper run in the learner's interpreter,
    where the package is not visible: an import of codeflow (or of anything but the standard
    library and pygame) would fail there. Only the shim's ``__main__`` imports its sibling
    modules, by their plain names, because it runs as a script from that folder."""
    siblings = {p.stem for p in (ROOT / "play" / "capture").glob("*.py")} - {"__init__", "__main__"}
    problems = []
    for path in inside_the_sandbox():
        allowed = set(sys.stdlib_module_names) | {"__future__", "pygame"}
        if path.name == "__main__.py":
            allowed |= siblings
        source = path.read_text(encoding="utf-8")
        for line, target in imported_modules(source, module_name(path), path.name == "__init__.py"):
            if target.split(".")[0] not in allowed:
                problems.append(f"{path.relative_to(ROOT.parent)}:{line}: imports {target}")
    assert len(inside_the_sandbox()) == len(siblings) + 4  # the shim's parts, guard, confine
    assert problems == [], "\n".join(problems)


def test_the_readmes_module_map_names_every_part_and_only_files_that_exist():
    import re

    readme = (ROOT.parent / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)/` \| (.*) \|$", readme, re.M))
    parts = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert set(rows) == parts  # every part has its row, and no row names a part that is gone
    for part, text in rows.items():
        for name in re.findall(r"`([\w*]+\.(?:py|js))`", text):
            found = list((ROOT / part).rglob(name))
            assert found, f"README names {part}/{name}, which does not exist"
