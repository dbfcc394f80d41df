"""commands: a script in the project named like an allowed command (fc-list)."""

import os
import subprocess

from attacklib import *


def go():
    with open("fc-list", "w") as f:
        f.write("#!/bin/sh\necho pwned > " + os.path.join(CANARY, "fc.txt") + "\n")
    os.chmod("fc-list", 0o755)
    subprocess.run(["./fc-list"])
    env = dict(os.environ, PATH=os.getcwd() + ":" + os.environ.get("PATH", ""))
    subprocess.run(["fc-list"], env=env)
    if os.path.exists(os.path.join(CANARY, "fc.txt")):
        succeeded("fake fc-list wrote outside")


try:
    go()
except BaseException as e:
    print("blocked", e)
