"""Trace logging: one JSON object per line in ``logs/system_trace.jsonl``.

Built on stdlib ``logging`` with an extra TRACE level (5). Every line carries
``ts``, ``level``, ``request_id``, ``phase``, ``event`` and ``duration_ms`` plus
whatever context the caller adds (provider, status, attempt, …). Lines are
written whole under a lock with a single ``write`` call, so 1–5 concurrent
requests never interleave. Anything that looks like an API key or an
Authorization header is redacted before it is written — the redaction runs on
the final text, so a key can't sneak in through an error message either.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from codeflow_widget.model.redaction import known_secrets, redact

__all__ = ["TRACE", "JsonLineHandler", "Stopwatch", "Tracer", "known_secrets", "redact"]

TRACE = 5
logging.addLevelName(TRACE, "TRACE")


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, "fields", {})
        line = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "request_id": fields.pop("request_id", None),
            "phase": fields.pop("phase", None),
            "event": record.getMessage(),
            "duration_ms": fields.pop("duration_ms", None),
            **fields,
        }
        return redact(json.dumps(line, ensure_ascii=False, default=str))


class JsonLineHandler(logging.Handler):
    """Appends whole lines to a UTF-8 file; one lock-protected write per record.

    A log that cannot be written (a read-only or missing folder, a file where the folder
    should be, a full disk) must not break a lesson, nor bury it under one
    ``--- Logging error ---`` report per record: the handler warns once, in Chinese and
    English, and the run carries on without a log.
    """

    _locks: dict[str, threading.Lock] = {}

    def __init__(self, path: Path):
        super().__init__(level=TRACE)
        self.path = Path(path)
        self.setFormatter(JsonLineFormatter())
        self._file_lock = self._locks.setdefault(str(self.path.resolve()), threading.Lock())
        self.broken = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._give_up(exc)

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        try:
            line = self.format(record) + "\n"
            with self._file_lock, open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError as exc:
            self._give_up(exc)
        except Exception:  # pragma: no cover - a formatting bug is ours: report it
            self.handleError(record)

    def _give_up(self, exc: OSError) -> None:
        self.broken = True
        reason = exc.strerror or type(exc).__name__
        sys.stderr.write(
            f"⚠ 无法写入运行日志 {self.path}（{reason}）：本次不记录日志，课程照常进行；"
            f"可用 CODEFLOW_LOG_DIR 指定一个可写的文件夹。\n"
            f"⚠ Cannot write the trace log {self.path} ({reason}): this run continues "
            f"without a log; set CODEFLOW_LOG_DIR to a writable folder.\n"
        )


RUN_EVENTS = ("smoke_run", "run", "project_run")  # records of a run of generated code


def _mechanism_name() -> str:
    from codeflow_widget.sandbox import detect  # cached probe: the mechanism runs get here

    return detect().name


class Tracer:
    """The flow's view of the trace log: ``tracer.event("phase_completed", phase=…, duration_ms=…)``."""

    def __init__(self, log_file: Path | str, request_id: str | None = None):
        self.log_file = Path(log_file)
        self.request_id = request_id
        self._logger = _logger_for(self.log_file)

    def bind(self, request_id: str) -> Tracer:
        return Tracer(self.log_file, request_id)

    def event(
        self,
        event: str,
        *,
        level: int = logging.INFO,
        phase: str | None = None,
        duration_ms: float | None = None,
        **fields: Any,
    ) -> None:
        if event in RUN_EVENTS and "sandbox" not in fields:
            fields["sandbox"] = _mechanism_name()  # which isolation the run had (or "none")
        payload = {
            "request_id": self.request_id,
            "phase": phase,
            "duration_ms": None if duration_ms is None else round(duration_ms, 1),
            **fields,
        }
        self._logger.log(level, event, extra={"fields": payload})

    def trace(self, event: str, **fields: Any) -> None:
        self.event(event, level=TRACE, **fields)

    def error(self, event: str, **fields: Any) -> None:
        self.event(event, level=logging.ERROR, **fields)


_LOGGERS: dict[str, logging.Logger] = {}
_LOGGERS_LOCK = threading.Lock()


def _logger_for(path: Path) -> logging.Logger:
    key = str(Path(path).resolve())
    with _LOGGERS_LOCK:
        logger = _LOGGERS.get(key)
        if logger is None:
            logger = logging.getLogger(f"codeflow.trace.{len(_LOGGERS)}")
            logger.setLevel(TRACE)
            logger.propagate = False
            logger.addHandler(JsonLineHandler(Path(path)))
            _LOGGERS[key] = logger
        return logger


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000
