"""commands: signal the caller process (kill 0 probes the right to signal)."""

import os

from attacklib import *

attempt("signal caller", lambda: os.kill(CALLER, 0))
