"""files: leave a file in the machine's /tmp (the test looks for it outside)."""

import os

from attacklib import *

try:
    open(os.path.join(TMPROOT, "codeflow_left_in_tmp.txt"), "w").write("x")
    print("wrote into this sandbox's /tmp view")
except OSError as exc:
    print("blocked", exc)
