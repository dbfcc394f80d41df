"""Every run of generated code goes through here: one launcher, one policy, one redactor.

``launch(spec)`` / ``run_to_end(spec)`` start a program from a validated project folder in a
throwaway copy, under the best isolation mechanism this machine offers (``detect()``): bubblewrap
or Landlock + seccomp on Linux, ``sandbox-exec`` on macOS, a Job Object on Windows, or none — said
plainly as 未隔离. ``redact(text)`` masks every secret the parent process knows. The contract is
written down in ``notes/sandbox_api.md``.
"""

from .launcher import Running, detect, launch
from .messages import RunRefused, SandboxUnavailable
from .outcome import RunOutcome, run_to_end
from .policy import Limits, Mechanism, RunSpec
from .redact import redact, register_secret

__all__ = [
    "Limits",
    "Mechanism",
    "RunOutcome",
    "RunRefused",
    "RunSpec",
    "Running",
    "SandboxUnavailable",
    "detect",
    "launch",
    "redact",
    "register_secret",
    "run_to_end",
]
