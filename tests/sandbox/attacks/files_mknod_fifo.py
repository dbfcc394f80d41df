"""files: os.mknod a fifo outside."""

import os
import stat

from attacklib import *

attempt("mknod fifo", lambda: os.mknod(os.path.join(CANARY, "pipe"), 0o600 | stat.S_IFIFO))
