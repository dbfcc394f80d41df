"""files: write a file into the real home folder."""

import os

from attacklib import *

attempt("write home", lambda: open(os.path.join(HOME, ".bashrc"), "a").write("evil"))
