"""files: chown a file outside through a descriptor."""

import os

from attacklib import *

fd = os.open(os.path.join(CANARY, "a.txt"), os.O_RDONLY)
attempt("fchown", lambda: os.chown(fd, 1234, 1234))
