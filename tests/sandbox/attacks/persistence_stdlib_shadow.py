"""persistence: overwrite a stdlib module."""

import json

from attacklib import *

attempt("stdlib", lambda: open(json.__file__, "a").write("\n# owned\n"))
