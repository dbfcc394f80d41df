"""Shared helpers for the benchmark scripts: the result table, a scratch folder, a child env.

Every script prints one table ``figure | measured | target | holds`` and exits 0 when
every target holds, 1 otherwise; ``run_all.py`` runs them all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SECRET_ENV = ("CODEFLOW_API_KEY", "MINIMAX_API_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY")


@dataclass
class Row:
    figure: str
    measured: str
    target: str
    holds: bool | None  # None: informational, no target


def print_table(title: str, rows: list[Row]) -> bool:
    """Print the result table; True when every row with a target holds."""
    header = ("figure", "measured", "target", "holds")
    cells = [header] + [
        (r.figure, r.measured, r.target, "—" if r.holds is None else ("yes" if r.holds else "NO"))
        for r in rows
    ]
    widths = [max(_width(c[i]) for c in cells) for i in range(4)]
    print(f"\n== {title}")
    for n, row in enumerate(cells):
        print(" | ".join(_pad(text, widths[i]) for i, text in enumerate(row)).rstrip())
        if n == 0:
            print("-+-".join("-" * w for w in widths))
    ok = all(r.holds is not False for r in rows)
    print(f"=> {'all targets hold' if ok else 'SOME TARGETS FAIL'}")
    return ok


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK characters are double width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def parser(doc: str | None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    p.add_argument(
        "--quick", action="store_true", help="fewer repetitions (a smoke test of the benchmark)"
    )
    return p


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary working folder (projects/ and logs/ go inside), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"codeflow-bench-{prefix}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def child_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh codeflow process: offline default, no keys, headless SDL."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CODEFLOW_") and k not in SECRET_ENV
    }
    env.update(
        CODEFLOW_PROJECTS_DIR=str(folder / "projects"),
        CODEFLOW_LOG_DIR=str(folder / "logs"),
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYTHONIOENCODING="utf-8",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
        **extra,
    )
    return env


def use_scratch_env(folder: Path, **extra: str) -> None:
    """Point this process at the scratch folder (for in-process benchmarks)."""
    for name in [k for k in os.environ if k.startswith("CODEFLOW_") or k in SECRET_ENV]:
        del os.environ[name]
    os.environ.update(child_env(folder, **extra))
    os.chdir(folder)


def start_server(*args: str) -> tuple[subprocess.Popen, str]:
    """Start ``benchmarks/_stream_server.py`` in its own process; return it and its base URL."""
    proc = subprocess.Popen(
        [PYTHON, str(REPO / "benchmarks" / "_stream_server.py"), *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise RuntimeError(f"the fake server did not start: {url!r}")
    return proc, url


def median(values: list[float]) -> float:
    return statistics.median(values)
