"""persistence: plant a poisoned __pycache__ for the project."""

import os

from attacklib import *

attempt(
    "pycache",
    lambda: (
        os.makedirs(os.path.join(PROJECT, "__pycache__"), exist_ok=True),
        open(os.path.join(PROJECT, "__pycache__", "x.pyc"), "wb").write(b"x"),
    ),
)
