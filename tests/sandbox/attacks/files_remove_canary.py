"""files: delete a file outside."""

import os

from attacklib import *

attempt("remove", lambda: os.remove(os.path.join(CANARY, "a.txt")))
