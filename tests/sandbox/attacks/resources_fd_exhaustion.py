"""resources: open descriptors until none are left."""

import os

from attacklib import *

fds = []
try:
    for _ in range(100000):
        fds.append(os.open(os.devnull, os.O_RDONLY))
except OSError as e:
    print("stopped", e)
print("fds", len(fds))
if len(fds) >= 50000:
    succeeded("50k fds")
