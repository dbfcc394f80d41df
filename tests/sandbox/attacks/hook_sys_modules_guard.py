"""hook: patch the guard module's ROOT through sys.modules, then write outside."""

import os
import sys

from attacklib import *


def go():
    for mod in list(sys.modules.values()):
        d = getattr(mod, "__dict__", {})
        if "ROOT" in d:
            d["ROOT"] = "/"
    main = sys.modules.get("__main__")
    open(os.path.join(CANARY, "hook3.txt"), "w").write("x")


attempt("sys.modules ROOT", go)
