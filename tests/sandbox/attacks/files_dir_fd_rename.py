"""files: rename a file through directory fds outside."""

import os

from attacklib import *

fd = os.open(CANARY, os.O_RDONLY | os.O_DIRECTORY)
attempt("dir_fd rename", lambda: os.rename("a.txt", "moved.txt", src_dir_fd=fd, dst_dir_fd=fd))
