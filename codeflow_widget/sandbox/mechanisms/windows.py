"""Windows: a Job Object that ends the whole tree when the launcher goes away, with process and
memory caps (ctypes, no extra package).

``JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`` means that when the last handle closes — the launcher
stops the run, or the kernel closes the handle because the caller died — every process in the job
ends. ``ACTIVE_PROCESS`` and ``PROCESS_MEMORY`` cap the tree. A restricted token would also need
``CreateProcessAsUser``, which asyncio's subprocess does not offer, so files and network are NOT
contained here: the mechanism reports itself as not isolated. Not run on a real Windows machine;
the tests check the limit structure.
"""

from __future__ import annotations

import ctypes
import sys

from .base import Command, Job

NAME = "job-object"
JobObjectExtendedLimitInformation = 9
KILL_ON_JOB_CLOSE, ACTIVE_PROCESS, PROCESS_MEMORY, DIE_ON_UNHANDLED = 0x2000, 0x8, 0x100, 0x400
PROCESS_ALL_ACCESS = 0x1F0FFF


class BasicLimits(ctypes.Structure):
    """``JOBOBJECT_BASIC_LIMIT_INFORMATION`` (winnt.h), field for field."""

    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]


class IoCounters(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
        "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]  # fmt: skip


class ExtendedLimits(ctypes.Structure):
    _fields_ = [
        ("BasicLimitInformation", BasicLimits),
        ("IoInfo", IoCounters),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


def limits_for(job: Job) -> ExtendedLimits:
    info = ExtendedLimits()
    basic = info.BasicLimitInformation
    basic.LimitFlags = KILL_ON_JOB_CLOSE | ACTIVE_PROCESS | PROCESS_MEMORY | DIE_ON_UNHANDLED
    basic.ActiveProcessLimit = job.spec.limits.processes
    info.ProcessMemoryLimit = job.spec.limits.memory_bytes
    return info


def command(job: Job) -> Command:
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel32.CreateJobObjectW(None, None)
    if not handle:
        raise OSError(ctypes.get_last_error(), "CreateJobObjectW")
    info = limits_for(job)
    if not kernel32.SetInformationJobObject(
        handle, JobObjectExtendedLimitInformation, ctypes.byref(info), ctypes.sizeof(info)
    ):
        raise OSError(ctypes.get_last_error(), "SetInformationJobObject")

    def started(pid: int) -> None:
        process = kernel32.OpenProcess(PROCESS_ALL_ACCESS, False, pid)
        kernel32.AssignProcessToJobObject(handle, process)
        kernel32.CloseHandle(process)

    def finished() -> None:
        kernel32.CloseHandle(handle)  # KILL_ON_JOB_CLOSE ends anything still running

    return Command(argv=list(job.program), env=dict(job.env), started=started, finished=finished)


def probe() -> str | None:
    if sys.platform != "win32":
        return "not Windows"
    return None
