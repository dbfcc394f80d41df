"""Finding and reading the trace logs for ``codeflow stats``: which files a teacher named.

``--log`` and ``stats(log=…)`` take files and folders (folders searched recursively for
``system_trace*.jsonl``, e.g. a JupyterHub's home folders); several can be given in one
``--log`` joined with ``os.pathsep`` (``:`` on Linux and macOS, ``;`` on Windows);
``split_log_option`` also takes a list (a repeated option). A Windows drive letter (``C:\\logs``) is never taken for a separator, nor is a
``:`` inside a path that exists as given. Lines are JSON records; malformed ones are counted
and skipped, and ``--since`` takes ``24h``/``7d``/``30m``/``2w`` or an ISO date/time.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

LOG_GLOB = "system_trace*.jsonl"
_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")  # C:\ or C:/ at the start of a part


def split_log_option(values: str | list[str] | None, sep: str = os.pathsep) -> list[str]:
    """The paths in ``--log`` (repeated, and/or joined with ``sep``), in order, none empty."""
    items = [values] if isinstance(values, str) else list(values or [])
    out: list[str] = []
    for item in items:
        if not item:
            continue
        if os.path.exists(item):  # a path that exists as given is one path, whatever it holds
            out.append(item)
            continue
        out += [part for part in _split(item, sep) if part]
    return out


def _split(text: str, sep: str) -> list[str]:
    parts, start, i = [], 0, 0
    while i < len(text):
        if text.startswith(sep, i):
            # ":" right after a part's single drive letter, before a slash, is the drive's own
            if sep == ":" and i == start + 1 and _DRIVE.match(text, start):
                i += 1
                continue
            parts.append(text[start:i])
            i = start = i + len(sep)
            continue
        i += 1
    parts.append(text[start:])
    return parts


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    """``"24h"``, ``"7d"``, ``"30m"``, ``"2w"`` or an ISO date/time (local time if no zone)."""
    if not text:
        return None
    if m := _RELATIVE.match(text):
        delta = timedelta(**{_UNITS[m.group(2).lower()]: float(m.group(1))})
        return (now or datetime.now(timezone.utc)) - delta
    if (when := _ts(text.strip(), local=True)) is None:
        raise ValueError(f"无法理解时间 {text!r}：请写成 2026-11-01、2026-11-01T08:00、24h 或 7d")
    return when


def _ts(value: Any, local: bool = False) -> datetime | None:
    """An aware datetime; a naive one is local time (``--since``) or UTC (log lines)."""
    try:
        w = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return w if w.tzinfo else w.astimezone() if local else w.replace(tzinfo=timezone.utc)


def default_log() -> Path:
    """The configured log (``$CODEFLOW_LOG_DIR``, codeflow.json, else ``logs/``)."""
    try:
        from codeflow_widget.config import load_settings

        return load_settings().log_file
    except Exception:  # a broken config must not stop a read-only report
        return Path(os.environ.get("CODEFLOW_LOG_DIR") or "logs") / "system_trace.jsonl"


def find_logs(paths: list[str | Path]) -> list[Path]:
    """The trace logs named: files as given, folders searched recursively for system_trace*.jsonl."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(LOG_GLOB) if p.is_file()))
        elif path.is_file():
            found.append(path)
    return list(dict.fromkeys(found))


def read_all(paths: list[Path], since: datetime | None) -> tuple[list[dict], int, int]:
    records, lines, malformed = [], 0, 0
    for path in paths:
        got, n, bad = read_records(path, since)
        records += got
        lines, malformed = lines + n, malformed + bad
    return records, lines, malformed


def read_records(path: Path, since: datetime | None = None) -> tuple[list[dict], int, int]:
    """(records in the window, non-blank lines read, malformed lines skipped)."""
    records, lines, malformed = [], 0, 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in filter(str.strip, fh):
            lines += 1
            try:
                record = json.loads(raw)
            except ValueError:
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("event"), str):
                malformed += 1
            elif since is None or ((when := _ts(record.get("ts"))) is not None and when >= since):
                records.append(record)
    return records, lines, malformed
