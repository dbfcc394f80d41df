"""resources: a child leaves the process group with setsid."""

import subprocess
import sys

from attacklib import *

p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
print("started", p.pid)
