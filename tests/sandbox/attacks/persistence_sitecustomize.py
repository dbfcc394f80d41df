"""persistence: drop sitecustomize.py into site-packages."""

import os

from attacklib import *

attempt(
    "sitecustomize", lambda: open(os.path.join(SITE, "sitecustomize.py"), "w").write("import os")
)
