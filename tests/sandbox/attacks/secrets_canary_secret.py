"""secrets: read a secret file next to the project."""

import os

from attacklib import *

attempt("canary secret", lambda: leak(open(os.path.join(CANARY, "secret.txt")).read()))
