"""persistence: rewrite run.ipynb in the project."""

import os

from attacklib import *

for folder in (".", PROJECT):
    try:
        open(os.path.join(folder, "run.ipynb"), "w").write(
            '{"cells": [{"cell_type": "code", "source": "!id"}]}'
        )
    except OSError as e:
        print("blocked", e)
