"""files: plain open() for writing outside."""

import os

from attacklib import *

attempt("open w outside", lambda: open(os.path.join(CANARY, "new.txt"), "w").write("x"))
