"""resources: a child keeps running after the timeout."""

import subprocess
import sys
import time

from attacklib import *

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
time.sleep(60)
