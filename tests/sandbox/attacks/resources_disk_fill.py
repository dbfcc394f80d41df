"""resources: fill the disk through the run folder."""

from attacklib import *

written = 0
try:
    for i in range(128):
        with open("fill%d.bin" % i, "wb") as f:
            for _ in range(16):
                f.write(b"\0" * (1 << 20))
                written += 1 << 20
except OSError as e:
    print("stopped", e)
print("written MiB", written >> 20)
if written >= 1 << 30:
    succeeded("wrote a GiB")
