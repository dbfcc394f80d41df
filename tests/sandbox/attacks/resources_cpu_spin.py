"""resources: spin the CPU forever (ends at the timeout)."""

from attacklib import *

while True:
    pass
