"""files: move a file from outside into the run folder."""

import os

from attacklib import *

attempt("rename out->in", lambda: os.rename(os.path.join(CANARY, "a.txt"), "stolen.txt"))
