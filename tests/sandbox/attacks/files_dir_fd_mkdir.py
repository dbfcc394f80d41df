"""files: mkdir through a directory fd outside."""

import os

from attacklib import *

fd = os.open(CANARY, os.O_RDONLY | os.O_DIRECTORY)
attempt("dir_fd mkdir", lambda: os.mkdir("newdir", dir_fd=fd))
