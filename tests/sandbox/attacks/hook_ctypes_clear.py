"""hook: clear the interpreter's audit hooks with ctypes, then write outside."""

import ctypes
import os

from attacklib import *


def go():
    # _PyRuntime's audit_hook_head: overwrite through pythonapi (crashes or fails under the sandbox)
    ctypes.pythonapi.PySys_AddAuditHook
    open(os.path.join(CANARY, "hook4.txt"), "w").write("x")


attempt("ctypes hooks", go)
