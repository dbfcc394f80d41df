"""files: sqlite3.connect creates a database outside."""

import os
import sqlite3

from attacklib import *


def go():
    con = sqlite3.connect(os.path.join(CANARY, "stolen.db"))
    con.execute("create table t(x)")
    con.commit()


attempt("sqlite3 outside", go)
