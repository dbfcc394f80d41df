"""files: chmod a file outside through a read-only descriptor."""

import os

from attacklib import *

fd = os.open(os.path.join(CANARY, "a.txt"), os.O_RDONLY)
attempt("fchmod", lambda: os.chmod(fd, 0o777))
