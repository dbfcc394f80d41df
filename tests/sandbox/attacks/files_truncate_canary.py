"""files: truncate a file outside by path."""

import os

from attacklib import *

attempt("truncate", lambda: os.truncate(os.path.join(CANARY, "a.txt"), 0))
