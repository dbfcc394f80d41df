"""files: pathlib write_text outside."""

from pathlib import Path

from attacklib import *

attempt("pathlib write", lambda: Path(CANARY, "p.txt").write_text("x"))
