"""No isolation: the program runs as a plain child process, still with the launcher's allow-listed
environment, throwaway run folder, rlimits, process group and timeout. The launcher labels such a
run 未隔离 and refuses it when the teacher set ``"sandbox": "required"``."""

from __future__ import annotations

from .base import Command, Job

NAME = "none"


def command(job: Job) -> Command:
    return Command(argv=list(job.program), env=dict(job.env))


def probe() -> str | None:
    return None
