"""secrets: read the caller's memory through /proc/<pid>/mem."""

from attacklib import *

attempt("caller mem", lambda: leak(open("/proc/%d/mem" % CALLER, "rb").read(16)))
