"""resources: fork until the system gives up."""

import os
import time

from attacklib import *

children = 0
try:
    for _ in range(400):
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError as e:
    print("fork stopped", e)
print("children", children)
if children >= 200:
    succeeded("fork bomb made %d processes" % children)
