"""resources: a double-forked grandchild that outlives the run."""

import os
import time

from attacklib import *

if os.fork() == 0:
    try:
        os.setsid()
    except OSError as e:
        print("setsid blocked", e)
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    os._exit(0)
time.sleep(0.2)
print("parent exits, grandchild keeps running")
