"""files: append to an existing file outside."""

import os

from attacklib import *

attempt("append outside", lambda: open(os.path.join(CANARY, "a.txt"), "a").write("x"))
