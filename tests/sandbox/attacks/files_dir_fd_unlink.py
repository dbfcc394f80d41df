"""files: unlink a file through a directory fd outside."""

import os

from attacklib import *

fd = os.open(CANARY, os.O_RDONLY | os.O_DIRECTORY)
attempt("dir_fd unlink", lambda: os.unlink("a.txt", dir_fd=fd))
