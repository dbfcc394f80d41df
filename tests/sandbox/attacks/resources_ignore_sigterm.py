"""resources: ignore SIGTERM and keep running."""

import signal
import time

from attacklib import *

signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
time.sleep(60)
