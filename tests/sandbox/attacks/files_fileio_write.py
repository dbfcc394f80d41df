"""files: io.FileIO opened for writing outside."""

import io
import os

from attacklib import *

attempt("FileIO", lambda: io.FileIO(os.path.join(CANARY, "f.txt"), "w").write(b"x"))
