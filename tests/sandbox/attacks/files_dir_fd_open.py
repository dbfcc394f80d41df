"""files: open a file for writing relative to a directory fd outside."""

import os

from attacklib import *

fd = os.open(CANARY, os.O_RDONLY | os.O_DIRECTORY)
attempt(
    "dir_fd open", lambda: os.close(os.open("planted.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
)
