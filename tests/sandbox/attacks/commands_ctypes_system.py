"""commands: libc system() through ctypes."""

import ctypes
import os

from attacklib import *


def go():
    libc = ctypes.CDLL(None)
    libc.system(("echo pwned > " + os.path.join(CANARY, "ctypes.txt")).encode())
    if os.path.exists(os.path.join(CANARY, "ctypes.txt")):
        succeeded("ctypes system wrote outside")


try:
    go()
except BaseException as e:
    print("blocked", e)
