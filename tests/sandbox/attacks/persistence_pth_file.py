"""persistence: drop a .pth file into site-packages."""

import os

from attacklib import *

attempt("pth", lambda: open(os.path.join(SITE, "zz_codeflow_evil.pth"), "w").write("import os"))
