"""files: write into /etc."""

from attacklib import *

attempt("write /etc", lambda: open("/etc/codeflow_owned", "w").write("x"))
