"""commands: subprocess with a shell writes outside."""

import os
import subprocess

from attacklib import *


def go():
    subprocess.run("echo x > " + os.path.join(CANARY, "sp.txt"), shell=True)
    if not os.path.exists(os.path.join(CANARY, "sp.txt")):
        raise OSError("no effect")


attempt("subprocess shell", go)
