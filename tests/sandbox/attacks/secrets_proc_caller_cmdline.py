"""secrets: read the caller's cmdline and cwd."""

import os

from attacklib import *


def go():
    leak(open("/proc/%d/cmdline" % CALLER, "rb").read())
    leak(os.readlink("/proc/%d/cwd" % CALLER))


attempt("caller cmdline", go)
