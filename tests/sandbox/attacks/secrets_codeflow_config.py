"""secrets: read the project's parent folder (codeflow.json, logs)."""

import os

from attacklib import *

attempt("parent folder", lambda: leak(",".join(os.listdir(os.path.dirname(PROJECT)))))
