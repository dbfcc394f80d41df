"""resources: start threads until the system gives up."""

import threading
import time

from attacklib import *

n = 0
try:
    for _ in range(400):
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        n += 1
except RuntimeError as e:
    print("threads stopped", e)
print("threads", n)
if n >= 200:
    succeeded("thread bomb made %d threads" % n)
