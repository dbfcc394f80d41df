"""network: urllib to a public address."""

import urllib.request

from attacklib import *

attempt("urllib", lambda: urllib.request.urlopen("http://127.0.0.1:%d/" % TCP_PORT, timeout=1))
