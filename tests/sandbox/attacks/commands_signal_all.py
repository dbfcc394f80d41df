"""commands: kill(-1) every process the user may signal (SIGCONT is harmless)."""

import os
import signal

from attacklib import *


def go():
    os.kill(-1, signal.SIGCONT)
    # our own tree may be signalled; reaching the caller is what counts
    os.kill(CALLER, 0)


attempt("kill -1", go)
