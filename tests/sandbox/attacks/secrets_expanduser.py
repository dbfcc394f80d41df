"""secrets: read ~/.netrc through expanduser (HOME is the run folder)."""

import os

from attacklib import *


def go():
    leak(open(os.path.expanduser("~/.netrc")).read())


attempt("expanduser netrc", go)
