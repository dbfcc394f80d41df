"""files: shutil.rmtree a folder outside."""

import os
import shutil

from attacklib import *

attempt("rmtree", lambda: shutil.rmtree(os.path.join(CANARY, "sub")))
