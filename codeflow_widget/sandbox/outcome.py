"""Running a spec to its end: ``run_to_end`` and what it returns, ``RunOutcome``.

stdout and stderr are read as they arrive into one text (so a traceback stays after the prints
before it), kept to a bounded size while the program floods, redacted with every secret the
parent process knows, and capped at the last 20,000 characters.
"""

from __future__ import annotations

import asyncio
import codecs
import time
from dataclasses import dataclass

from .launcher import MAX_ENTRIES, launch
from .messages import text
from .policy import Mechanism, RunSpec

MAX_OUTPUT_CHARS = 20_000


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended. ``exit_code`` is None when the program was still alive at the timeout."""

    exit_code: int | None
    timed_out: bool
    output: str  # stdout + stderr in arrival order, redacted, the last 20,000 characters
    duration_ms: int
    mechanism: Mechanism
    stopped_for: str | None = None


async def run_to_end(
    spec: RunSpec, *, required: bool = False, mechanism: str | None = None
) -> RunOutcome:
    """Run ``spec`` until it exits or times out; output is redacted and capped."""
    started = time.perf_counter()
    running = await launch(spec, required=required, mechanism=mechanism)
    parts: list[str] = []
    size = [0]

    async def pump(stream: asyncio.StreamReader) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := await stream.read(65536):
            parts.append(decoder.decode(chunk))
            size[0] += len(parts[-1])
            if size[0] > 4 * MAX_OUTPUT_CHARS:  # keep memory flat for a program that floods
                joined = "".join(parts)[-2 * MAX_OUTPUT_CHARS :]
                parts[:] = [joined]
                size[0] = len(joined)
        parts.append(decoder.decode(b"", final=True))

    pumps = asyncio.gather(pump(running.stdout), pump(running.stderr))
    try:
        code = await running.wait()
        await pumps
    except BaseException:
        pumps.cancel()
        await running.stop()
        raise
    output = "".join(parts)
    if running.stopped_for == "disk":
        megabytes = spec.limits.disk_bytes >> 20
        output += (
            "\n"
            + text("disk_full", spec.language, megabytes=megabytes, entries=f"{MAX_ENTRIES:,}")
            + "\n"
        )
    return RunOutcome(
        exit_code=None if running.timed_out else code,
        timed_out=running.timed_out,
        output=running.redact(output)[-MAX_OUTPUT_CHARS:],
        duration_ms=int((time.perf_counter() - started) * 1000),
        mechanism=running.mechanism,
        stopped_for=running.stopped_for,
    )
