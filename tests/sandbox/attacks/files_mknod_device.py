"""files: os.mknod a block device (raw disk) inside the run folder."""

import os
import stat

from attacklib import *


def go():
    os.mknod("disk", 0o600 | stat.S_IFBLK, os.makedev(8, 0))
    os.open("disk", os.O_RDONLY)


attempt("mknod block device", go)
